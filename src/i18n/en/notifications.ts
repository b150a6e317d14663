/** English texts of the app's notifications area; the other languages mirror this module's shape. */
export const notifications = {};
