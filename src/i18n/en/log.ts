/** English texts of the app's log area; the other languages mirror this module's shape. */
export const log = {};
