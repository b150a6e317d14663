/** English texts of the app's chip area; the other languages mirror this module's shape. */
export const chip = {};
