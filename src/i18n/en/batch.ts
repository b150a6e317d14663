/** English texts of the app's batch area; the other languages mirror this module's shape. */
export const batch = {};
