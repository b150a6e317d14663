/** English texts of the app's chip area; the other languages mirror this module's shape. */
import { plural } from '../format.ts';
import type { EumProduct } from '../../ui/lib/eum-list.ts';

export const chip = {
  title: 'Chip',
  connectFirst: 'Connect to an eUICC to see its details.',
  copyEid: 'Copy EID',
  copied: 'Copied.',
  eidQr: 'EID as a QR code',
  eidBarcode: 'EID as a barcode',
  details: 'Details',
  manufacturer: 'Manufacturer',
  virtualManufacturer: 'WebLPA software eUICC (test EID)',
  unknownManufacturer: 'Unknown (EID prefix not in the list)',
  /** Products known by a longer EID prefix (src/ui/lib/eum-list.ts). */
  eumProducts: {
    nineEsimCard: '9eSIM removable card',
    eastcompeaceRemovable: 'removable cards such as 5ber, eSIM.me and ESTKme use these chips',
  } satisfies Record<EumProduct, string>,
  /** An EID prefix whose manufacturer is not listed: the country it is registered in. */
  eumIn: (country: string, issuer: string) => `An EUM registered in ${country} (issuer ${issuer})`,
  freeNvm: 'Free memory',
  freeRam: 'Free RAM',
  svn: 'SGP.22 version (SVN)',
  firmware: 'Firmware',
  profileVersion: 'Profile package version',
  category: 'Category',
  installedApplications: 'Installed applications',
  platform: 'Platform',
  sasAccreditation: 'SAS accreditation',
  trustedCis: 'Trusted certificate issuers (CIs)',
  noCis: 'None reported',
  unknownCi: 'unknown CI',
  /** What a CI is. */
  ciKinds: {
    gsma: 'production root: real SM-DP+ servers',
    gsmaTest: 'GSMA test CI: test servers only',
    projectTest: 'WebLPA test CI: the local test SM-DP+ only',
    unknown: 'not a CI this app knows',
  },
  /** What the eUICC does with a CI. */
  ciUses: {
    both: 'verifies servers; its own certificate',
    verification: 'verifies servers',
    signing: 'its own certificate',
  },
  ciNote: (kind: string, use: string) => `(${kind}; ${use})`,
  servers: 'Servers',
  defaultDp: 'Default SM-DP+',
  defaultDpAddress: 'Default SM-DP+ address',
  smdsAddress: 'SM-DS address used for discovery',
  none: 'None',
  rootDs: (address: string) => `${address} (the eUICC’s root SM-DS)`,
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  memoryReset: 'Memory reset',
  resetIntro: 'Erases what you select from the eUICC. This cannot be undone.',
  resetWhat: 'What to erase',
  resetOperational: 'Operational profiles',
  resetFieldTest: 'Test profiles loaded in the field',
  resetDefaultDp: 'The default SM-DP+ address',
  resetConfirm: 'This erases the selected items from the eUICC.',
  resetAction: 'Reset memory',
  resetOpen: 'Reset memory…',
  /** A TLV node's value length (the tree in the log shows the bare number). */
  tlvLength: (n: number) => plural('en', n, { one: 'Length: # byte', other: 'Length: # bytes' }),
  /** A TLV value shown as text, in the language's quotation marks. */
  tlvText: (text: string) => `“${text}”`,
};
