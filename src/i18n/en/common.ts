/** English texts of the app's common area; the other languages mirror this module's shape. */
export const common = {};
