/** English texts of the app's connect area; the other languages mirror this module's shape. */
export const connect = {};
