/**
 * ProfileElement CHOICE tags of the TCA eUICC Profile Package (SAIP) ASN.1 module
 * `PEDefinitions` (AUTOMATIC TAGS): the alternative's position n becomes the context tag [n],
 * constructed, so [0]..[30] are one byte `A0`..`BE` and [31] onwards two bytes `BF 1F`...
 */
export const PeTag = {
  header: 0xa0,
  genericFileManagement: 0xa1,
  pinCodes: 0xa2,
  pukCodes: 0xa3,
  akaParameter: 0xa4,
  cdmaParameter: 0xa5,
  securityDomain: 0xa6,
  rfm: 0xa7,
  application: 0xa8,
  nonStandard: 0xa9,
  end: 0xaa,
  rfu1: 0xab,
  rfu2: 0xac,
  rfu3: 0xad,
  rfu4: 0xae,
  rfu5: 0xaf,
  mf: 0xb0,
  cd: 0xb1,
  telecom: 0xb2,
  usim: 0xb3,
  optUsim: 0xb4,
  isim: 0xb5,
  optIsim: 0xb6,
  phonebook: 0xb7,
  gsmAccess: 0xb8,
  csim: 0xb9,
  optCsim: 0xba,
  eap: 0xbb,
  df5gs: 0xbc,
  dfSaip: 0xbd,
  dfSnpn: 0xbe,
  df5gprose: 0xbf1f,
  iot: 0xbf20,
  optIot: 0xbf21,
} as const;

export type PeName = keyof typeof PeTag;

const NAMES = new Map<number, PeName>(
  (Object.entries(PeTag) as [PeName, number][]).map(([name, tag]) => [tag, name]),
);

/** The SAIP name of a ProfileElement tag, undefined for a tag this codec does not know. */
export function peName(tag: number): PeName | undefined {
  return NAMES.get(tag);
}

/** The file-system PEs built from a template (PEHeader, templateID, then files). */
export const TEMPLATE_PES: ReadonlySet<number> = new Set([
  PeTag.mf,
  PeTag.cd,
  PeTag.telecom,
  PeTag.usim,
  PeTag.optUsim,
  PeTag.isim,
  PeTag.optIsim,
  PeTag.phonebook,
  PeTag.gsmAccess,
  PeTag.csim,
  PeTag.optCsim,
  PeTag.eap,
  PeTag.df5gs,
  PeTag.dfSaip,
  PeTag.dfSnpn,
  PeTag.df5gprose,
  PeTag.iot,
  PeTag.optIot,
]);

/** Template OIDs (SAIP templates under 2.23.143.1.2). */
export const TemplateOid = {
  mf: '2.23.143.1.2.1',
  cd: '2.23.143.1.2.2',
  telecom: '2.23.143.1.2.3',
  usim: '2.23.143.1.2.4',
  optUsim: '2.23.143.1.2.5',
  phonebook: '2.23.143.1.2.6',
  gsmAccess: '2.23.143.1.2.7',
  isim: '2.23.143.1.2.8',
  optIsim: '2.23.143.1.2.9',
  csim: '2.23.143.1.2.10',
  optCsim: '2.23.143.1.2.11',
  eap: '2.23.143.1.2.12',
  df5gs: '2.23.143.1.2.13',
  dfSaip: '2.23.143.1.2.14',
} as const;

/** ServicesList (ProfileHeader eUICC-Mandatory-services): the position of each NULL flag. */
export const Service = {
  contactless: 0,
  usim: 1,
  isim: 2,
  csim: 3,
  milenage: 4,
  tuak128: 5,
  cave: 6,
  gbaUsim: 7,
  gbaIsim: 8,
  mbms: 9,
  eap: 10,
  javacard: 11,
  multos: 12,
  multipleUsim: 13,
  multipleIsim: 14,
  multipleCsim: 15,
  tuak256: 16,
  usimTestAlgorithm: 17,
  berTlv: 18,
  dfLink: 19,
  catTp: 20,
  getIdentity: 21,
  profileAX25519: 22,
  profileBP256: 23,
  suciCalculatorApi: 24,
} as const;

export type ServiceName = keyof typeof Service;
