/**
 * Decodes bytes seen in the log (ES10 requests/responses, ES9+ base64 fields) into a TLV tree
 * labelled with SGP.22 names (docs/protocol.md §3, §5, §8). Names depend on the parent tag, since
 * context tags like 80 mean something different in every structure.
 */
import { toTree, tagHex, utf8, toHex, type TlvNode } from '../../codec/index.ts';
import { Es10Tag, ProfileInfoTag, EuiccInfo2Tag } from '../../es10/tags.ts';

export interface ViewNode {
  tag: string;
  name?: string;
  length: number;
  /** Hex of a primitive value. */
  hex?: string;
  /** The value as text when it is printable UTF-8. */
  text?: string;
  children?: ViewNode[];
}

const TOP: Record<number, string> = {
  ...Object.fromEntries(Object.entries(Es10Tag).map(([k, v]) => [v, k])),
  0x30: 'SEQUENCE',
  0x5a: 'iccid/eid',
  0x5f37: 'signature',
  0x5f49: 'euiccOtpk',
  0x7f21: 'certificate',
  0xe3: 'ProfileInfo',
};

function invert(table: Record<string, number>): Record<number, string> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
}

/** Children names by parent tag. */
const BY_PARENT: Record<number, Record<number, string>> = {
  0xe3: invert(ProfileInfoTag),
  [Es10Tag.GetEuiccInfo2]: invert(EuiccInfo2Tag),
  [Es10Tag.GetEuiccInfo1]: {
    0x82: 'svn',
    0xa9: 'euiccCiPKIdListForVerification',
    0xaa: 'euiccCiPKIdListForSigning',
  },
  [Es10Tag.GetEuiccConfiguredAddresses]: { 0x80: 'defaultDpAddress', 0x81: 'rootDsAddress' },
  [Es10Tag.SetDefaultDpAddress]: { 0x80: 'defaultDpAddress/result' },
  [Es10Tag.GetEuiccChallenge]: { 0x80: 'euiccChallenge' },
  [Es10Tag.GetEid]: { 0x5c: 'tagList', 0x5a: 'eidValue' },
  [Es10Tag.GetProfilesInfo]: {
    0xa0: 'searchCriteria/profileInfoListOk',
    0x5c: 'tagList',
    0x81: 'profileInfoListError',
  },
  [Es10Tag.EnableProfile]: { 0xa0: 'profileIdentifier', 0x81: 'refreshFlag', 0x80: 'enableResult' },
  [Es10Tag.DisableProfile]: {
    0xa0: 'profileIdentifier',
    0x81: 'refreshFlag',
    0x80: 'disableResult',
  },
  [Es10Tag.DeleteProfile]: { 0x4f: 'isdpAid', 0x5a: 'iccid', 0x80: 'deleteResult' },
  [Es10Tag.SetNickname]: { 0x5a: 'iccid', 0x90: 'profileNickname', 0x80: 'setNicknameResult' },
  [Es10Tag.EuiccMemoryReset]: { 0x82: 'resetOptions', 0x80: 'resetResult' },
  [Es10Tag.ListNotification]: {
    0x81: 'profileManagementOperation/error',
    0xa0: 'notificationMetadataList',
  },
  [Es10Tag.NotificationMetadata]: {
    0x80: 'seqNumber',
    0x81: 'profileManagementOperation',
    0x0c: 'notificationAddress',
    0x5a: 'iccid',
  },
  [Es10Tag.RetrieveNotificationsList]: {
    0xa0: 'searchCriteria/notificationList',
    0x81: 'notificationsListResultError',
  },
  [Es10Tag.RemoveNotificationFromList]: { 0x80: 'seqNumber/result' },
  [Es10Tag.AuthenticateServer]: {
    0x30: 'serverSigned1/serverCertificate',
    0x5f37: 'serverSignature1',
    0x04: 'euiccCiPKIdToBeUsed',
    0xa0: 'ctxParams1/authenticateResponseOk',
    0xa1: 'authenticateResponseError',
  },
  [Es10Tag.PrepareDownload]: {
    0x30: 'smdpSigned2/smdpCertificate',
    0x5f37: 'smdpSignature2',
    0x04: 'hashCc',
    0xa0: 'downloadResponseOk',
    0xa1: 'downloadResponseError',
  },
  [Es10Tag.CancelSession]: {
    0x80: 'transactionId',
    0x81: 'reason/error',
    0xa0: 'cancelSessionResponseOk',
  },
  [Es10Tag.BoundProfilePackage]: {
    [Es10Tag.InitialiseSecureChannel]: 'initialiseSecureChannelRequest',
    0xa0: 'firstSequenceOf87 (ConfigureISDP)',
    0xa1: 'sequenceOf88 (StoreMetadata)',
    0xa2: 'secondSequenceOf87 (ReplaceSessionKeys)',
    0xa3: 'sequenceOf86 (profile elements)',
  },
  [Es10Tag.ProfileInstallationResult]: {
    [Es10Tag.ProfileInstallationResultData]: 'profileInstallationResultData',
    0x5f37: 'euiccSignPIR',
  },
  [Es10Tag.ProfileInstallationResultData]: {
    0x80: 'transactionId',
    [Es10Tag.NotificationMetadata]: 'notificationMetadata',
    0x06: 'smdpOid',
    0xa2: 'finalResult',
  },
  [Es10Tag.InitialiseSecureChannel]: {
    0x82: 'remoteOpId',
    0x80: 'transactionId',
    0xa6: 'controlRefTemplate',
    0x5f49: 'smdpOtpk',
    0x5f37: 'smdpSign',
  },
  0xa0: {
    0x80: 'matchingId/transactionId',
    0xa1: 'deviceInfo',
    0x30: 'euiccSigned1/2',
    0x5f37: 'euiccSignature',
  },
  0xa1: { 0x80: 'tac', 0x81: 'deviceCapabilities', 0x82: 'imei' },
};

function printable(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // Only text that is plainly readable: letters, digits, punctuation and spaces.
  return /^[\x20-\x7e\u00a0-\uffff]+$/.test(text) ? text : undefined;
}

function convert(nodes: TlvNode[], parent: number | undefined): ViewNode[] {
  return nodes.map((n) => {
    const name = (parent !== undefined ? BY_PARENT[parent]?.[n.tag] : undefined) ?? TOP[n.tag];
    const out: ViewNode = { tag: tagHex(n.tag), length: n.length };
    if (name !== undefined) out.name = name;
    if (n.children) out.children = convert(n.children, n.tag);
    if (n.value) {
      out.hex = toHex(n.value);
      const text = printable(n.value);
      if (text !== undefined) out.text = text;
    }
    return out;
  });
}

/** The labelled tree, or undefined when the bytes are not (complete) TLV. */
export function decodeForView(bytes: Uint8Array): ViewNode[] | undefined {
  if (bytes.length === 0) return undefined;
  try {
    return convert(toTree(bytes), undefined);
  } catch {
    return undefined;
  }
}

/** Renders a tree as indented text (for copy and export). */
export function treeToText(nodes: readonly ViewNode[], indent = ''): string {
  let out = '';
  for (const n of nodes) {
    out += `${indent}${n.tag}${n.name ? ` ${n.name}` : ''} (${n.length})`;
    if (n.text !== undefined) out += ` "${n.text}"`;
    else if (n.hex !== undefined) out += ` ${n.hex}`;
    out += '\n';
    if (n.children) out += treeToText(n.children, `${indent}  `);
  }
  return out;
}
