/**
 * The SGP.22 v2.x tag table (docs/protocol.md §3), shared by the ES10 client and the software eUICC.
 * Tags are numbers formed by their encoded bytes (see codec/tlv.ts).
 */

/** Outer tags of ES10 requests and responses (a request and its response share the tag). */
export const Es10Tag = {
  GetEuiccConfiguredAddresses: 0xbf3c,
  SetDefaultDpAddress: 0xbf3f,
  GetEuiccInfo1: 0xbf20,
  GetEuiccInfo2: 0xbf22,
  GetEuiccChallenge: 0xbf2e,
  AuthenticateServer: 0xbf38,
  PrepareDownload: 0xbf21,
  BoundProfilePackage: 0xbf36,
  InitialiseSecureChannel: 0xbf23,
  ConfigureIsdp: 0xbf24,
  StoreMetadata: 0xbf25,
  ReplaceSessionKeys: 0xbf26,
  ProfileInstallationResult: 0xbf37,
  ProfileInstallationResultData: 0xbf27,
  CancelSession: 0xbf41,
  ListNotification: 0xbf28,
  RetrieveNotificationsList: 0xbf2b,
  NotificationMetadata: 0xbf2f,
  RemoveNotificationFromList: 0xbf30,
  LoadCrl: 0xbf35,
  GetRat: 0xbf43,
  GetProfilesInfo: 0xbf2d,
  EnableProfile: 0xbf31,
  DisableProfile: 0xbf32,
  DeleteProfile: 0xbf33,
  EuiccMemoryReset: 0xbf34,
  GetEid: 0xbf3e,
  SetNickname: 0xbf29,
  /** ES11 AuthenticateClient response from an SM-DS (event list). */
  EventEntries: 0xbf40,
} as const;

/** Frequent inner tags. */
export const Tag = {
  Sequence: 0x30,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Utf8String: 0x0c,
  Oid: 0x06,
  Boolean: 0x01,
  Iccid: 0x5a,
  Aid: 0x4f,
  Eid: 0x5a,
  TagList: 0x5c,
  ProfileInfo: 0xe3,
  Signature: 0x5f37,
  EuiccOtpk: 0x5f49,
  Ctx0: 0x80,
  Ctx1: 0x81,
  Ctx2: 0x82,
  Ctx3: 0x83,
  Ctx4: 0x84,
  Ctx5: 0x85,
  Cons0: 0xa0,
  Cons1: 0xa1,
  Cons2: 0xa2,
  Cons3: 0xa3,
  Cons4: 0xa4,
} as const;

/** ProfileInfo (E3) fields, docs/protocol.md §3.1. */
export const ProfileInfoTag = {
  iccid: 0x5a,
  isdpAid: 0x4f,
  profileState: 0x9f70,
  profileNickname: 0x90,
  serviceProviderName: 0x91,
  profileName: 0x92,
  iconType: 0x93,
  icon: 0x94,
  profileClass: 0x95,
  notificationConfigurationInfo: 0xb6,
  profileOwner: 0xb7,
  dpProprietaryData: 0xb8,
  profilePolicyRules: 0x99,
} as const;

/** EUICCInfo2 (BF22) fields, docs/protocol.md §3.2. */
export const EuiccInfo2Tag = {
  profileVersion: 0x81,
  svn: 0x82,
  euiccFirmwareVer: 0x83,
  extCardResource: 0x84,
  uiccCapability: 0x85,
  ts102241Version: 0x86,
  globalplatformVersion: 0x87,
  rspCapability: 0x88,
  euiccCiPKIdListForVerification: 0xa9,
  euiccCiPKIdListForSigning: 0xaa,
  euiccCategory: 0x8b,
  forbiddenProfilePolicyRules: 0x99,
  ppVersion: 0x04,
  sasAcreditationNumber: 0x0c,
  certificationDataObject: 0xac,
} as const;

/** NotificationEvent bit numbers (docs/protocol.md §8). */
export const NotificationEvent = {
  install: 0,
  enable: 1,
  disable: 2,
  delete: 3,
} as const;
export type NotificationEventName = keyof typeof NotificationEvent;
