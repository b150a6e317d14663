/** English texts of the app's download area; the other languages mirror this module's shape. */
export const download = {};
