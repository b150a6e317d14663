/** English texts of the app's shell (header, menu, status, update banner); the other languages mirror this module's shape. */
import { plural } from '../format.ts';

export const shell = {
  skipToContent: 'Skip to content',
  notConnected: 'Not connected',
  connectionLost: 'Connection lost',
  /** The main menu's accessible name. */
  mainMenu: 'Main',
  nav: {
    connect: 'Connect',
    profiles: 'Profiles',
    add: 'Add profile',
    chip: 'Chip',
    notifications: 'Notifications',
    settings: 'Settings',
    log: 'Log',
    batch: 'Batch',
  },
  /** The badge on Notifications: how many are waiting to be sent. */
  waiting: (n: number) => plural('en', n, { other: '# waiting' }),
  updateReady: 'A new version of WebLPA is ready.',
  reloadToUpdate: 'Reload to update',
};
