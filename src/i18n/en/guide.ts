/** English texts of the app's guide area; the other languages mirror this module's shape. */
export const guide = {};
