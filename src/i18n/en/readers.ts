/** English texts of the app's readers area; the other languages mirror this module's shape. */
export const readers = {};
