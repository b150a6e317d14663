/** English texts of the app's errors area; the other languages mirror this module's shape. */
export const errors = {};
