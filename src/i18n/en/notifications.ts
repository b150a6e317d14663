/** English texts of the app's notifications area; the other languages mirror this module's shape. */
export const notifications = {
  title: 'Notifications',
  sendAll: 'Send all',
  intro: 'The eUICC keeps a signed notice of each profile change for the operator’s server.',
  policyAll: 'They are sent automatically after each change; any that wait are listed here.',
  policyNone:
    'They are sent when you choose (Settings keeps every kind); any that wait are listed here.',
  /** `kinds`: the kinds sent at once, a list of `kindNouns` joined for the language. */
  policySome: (kinds: string) =>
    `Notices of ${kinds} are sent at once, the others when you choose (Settings); any that wait are listed here.`,
  /** The kinds as nouns for `policySome` ("Notices of installation and deletion"). */
  kindNouns: {
    install: 'installation',
    enable: 'enabling',
    disable: 'disabling',
    delete: 'deletion',
  },
  connectFirst: 'Connect to an eUICC to see its notifications.',
  none: 'No notifications waiting.',
  caption: 'Pending notifications',
  columns: {
    number: 'No.',
    event: 'Event',
    server: 'Server',
    actions: 'Actions',
  },
  /** The profile change a notification reports. */
  events: {
    install: 'Installed',
    enable: 'Enabled',
    disable: 'Disabled',
    delete: 'Deleted',
  },
  installFailed: 'Install failed',
  send: 'Send',
  sendLabel: (seq: number) => `Send notification ${seq}`,
  remove: 'Remove',
  removeLabel: (seq: number) => `Remove notification ${seq}`,
  /** Before an unsent delete notification is removed: what the operator will then not learn. */
  deleteWarning: (server: string, iccid: string) =>
    `This notice tells ${server} that profile ${iccid} was deleted. Removed unsent, the operator never learns it: the subscription may stay active or billed, and the operator may not let you download the profile again.`,
  deleteWarningNoIccid: (server: string) =>
    `This notice tells ${server} that a profile was deleted. Removed unsent, the operator never learns it: the subscription may stay active or billed, and the operator may not let you download the profile again.`,
  removeUnsent: 'Remove without sending',
  removeUnsentLabel: (seq: number) => `Remove notification ${seq} without sending it`,
  sendInstead: 'Send it instead',
  keep: 'Keep it',
};
