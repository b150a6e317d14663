/** English texts of the app's profiles area; the other languages mirror this module's shape. */
export const profiles = {};
