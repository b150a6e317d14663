/** English texts of the app's profiles area; the other languages mirror this module's shape. */
import { plural } from '../format.ts';

export const profiles = {
  title: 'Profiles',
  add: 'Add a profile',
  refresh: 'Refresh',
  connectFirst: 'Connect to an eUICC to see its profiles.',
  none: 'No profiles installed yet. Use “Add a profile” to download one.',
  /** The accessible name of the list of profile cards. */
  listLabel: 'Installed profiles',
  notificationsWaiting: (n: number) =>
    plural('en', n, {
      one: '# notification waiting to be sent.',
      other: '# notifications waiting to be sent.',
    }),
  seeNotifications: 'See notifications',
  states: { enabled: 'Enabled', disabled: 'Disabled' },
  /** Profile classes (SGP.22 v2.x ProfileClass). */
  classes: { operational: 'operational', test: 'test', provisioning: 'provisioning' },
  /** Profile policy rules (SGP.22 v2.x PprIds). */
  policyRules: { ppr1: 'cannot be disabled', ppr2: 'cannot be deleted' },
  fields: { profileName: 'Profile name', profileClass: 'Class', policyRules: 'Policy rules' },
  nickname: 'Nickname',
  saveNickname: 'Save nickname',
  cancel: 'Cancel',
  enable: 'Enable',
  disable: 'Disable',
  rename: 'Rename',
  delete: 'Delete…',
  disableFirst: 'Disable the profile before deleting it',
  deleteWarning: (title: string) =>
    `Deleting ${title} removes it from the eUICC for good; the operator may need to issue a new one.`,
  /** The word to type to confirm a deletion: short, in capitals where the script has them. */
  deleteWord: 'DELETE',
  /** Accepted as well: the English word, typeable on any keyboard. */
  deleteWordLatin: 'DELETE',
  deleteAction: 'Delete profile',
  /** "Type DELETE to confirm": the text before and after the word (mind the spaces). */
  confirm: { before: 'Type ', after: ' to confirm' },
  /** What is running, shown while it runs. */
  busy: {
    enabling: (title: string) => `Enabling ${title}`,
    disabling: (title: string) => `Disabling ${title}`,
    deleting: (title: string) => `Deleting ${title}`,
    renaming: (title: string) => `Renaming ${title}`,
  },
  /** The outcome, once the list shows it. */
  result: {
    enabled: (title: string) => `${title} is enabled.`,
    resetNeeded:
      'The card enabled the profile but cannot ask the device to reload it: remove and reinsert the card, or restart the modem (or turn its radio off and on), before the device uses it.',
    disabled: (title: string) => `${title} is disabled.`,
    deleted: (title: string) => `${title} was deleted.`,
    renamed: (nickname: string) => `Renamed to “${nickname}”.`,
    nicknameRemoved: 'Nickname removed.',
  },
};
