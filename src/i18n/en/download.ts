/** English texts of the app's download area; the other languages mirror this module's shape. */
export const download = {
  /** The lpa layer's steps (spec function names) in plain words. */
  steps: {
    getEuiccChallenge: 'Asking the eUICC for a challenge',
    getEuiccInfo1: 'Reading the eUICC’s capabilities',
    initiateAuthentication: 'Contacting the SM-DP+',
    authenticateServer: 'The eUICC checks the SM-DP+',
    authenticateClient: 'The SM-DP+ checks the eUICC',
    consent: 'Waiting for your consent',
    confirmationCode: 'Waiting for the confirmation code',
    prepareDownload: 'Preparing the download',
    getBoundProfilePackage: 'Downloading the profile',
    loadBoundProfilePackage: 'Installing the profile on the eUICC',
    handleNotification: 'Telling the SM-DP+ it is installed',
    done: 'Done',
  },
  starting: 'Starting…',
  cancel: 'Cancel',
  code: {
    title: 'Confirmation code',
    intro: 'This profile needs the confirmation code your operator gave you.',
    label: 'Confirmation code',
    submit: 'Continue',
  },
  consent: {
    title: 'Install this profile?',
    intro:
      'The profile is stored on your eUICC, disabled; you can enable it afterwards in Profiles.',
    operator: 'Operator',
    profile: 'Profile',
    profileClass: 'Class',
    policyRules: 'Policy rules',
    install: 'Install',
    decline: 'Don’t install',
  },
  running: {
    title: 'Adding the profile',
    progress: 'Download progress',
    /** `p`: the number, already formatted. */
    percent: (p: string) => `${p}%`,
    /** Sizes already formatted ("12 kB"). */
    sent: (sent: string, total: string) => `${sent} of ${total} sent to the eUICC`,
  },
  done: {
    title: 'Profile installed',
    named: (name: string) => `${name} is on your eUICC. Enable it in Profiles to start using it.`,
    namedFrom: (name: string, provider: string) =>
      `${name} from ${provider} is on your eUICC. Enable it in Profiles to start using it.`,
    unnamed: 'The profile is on your eUICC. Enable it in Profiles to start using it.',
    unnamedFrom: (provider: string) =>
      `The profile from ${provider} is on your eUICC. Enable it in Profiles to start using it.`,
    kiosk: 'This screen returns to the start in a few seconds.',
    toProfiles: 'Go to profiles',
    another: 'Add another',
  },
  back: 'Back to the form',
};
