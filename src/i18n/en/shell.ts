/** English texts of the app's shell area; the other languages mirror this module's shape. */
export const shell = {};
