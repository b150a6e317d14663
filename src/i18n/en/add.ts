/** English texts of the app's add area; the other languages mirror this module's shape. */
export const add = {};
