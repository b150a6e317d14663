/** English texts of the app's bridge area; the other languages mirror this module's shape. */
export const bridge = {};
