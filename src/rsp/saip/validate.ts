/**
 * Structure checks of single ProfileElements, as far as an installer must understand them
 * (TCA eUICC Profile Package, `PEDefinitions`). A PE this codec does not know is accepted
 * when its PEHeader does not mark it mandated (the ASN.1 is extensible: later versions add
 * alternatives); a mandated unknown PE, or a known one that breaks its ASN.1, is refused.
 */
import { children, decodeUnsigned, TlvError } from '../../codec/index.ts';
import type { Tlv } from '../../codec/index.ts';
import { decodeOid } from '../oid.ts';
import { PeTag, peName, TEMPLATE_PES, TemplateOid } from './tags.ts';

/** A ProfileElement that breaks the SAIP structure (`path` names the offending field). */
export class PeStructureError extends Error {
  override readonly name = 'PeStructureError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const TEMPLATE_OF: Partial<Record<number, string>> = {
  [PeTag.mf]: TemplateOid.mf,
  [PeTag.cd]: TemplateOid.cd,
  [PeTag.telecom]: TemplateOid.telecom,
  [PeTag.usim]: TemplateOid.usim,
  [PeTag.optUsim]: TemplateOid.optUsim,
  [PeTag.phonebook]: TemplateOid.phonebook,
  [PeTag.gsmAccess]: TemplateOid.gsmAccess,
  [PeTag.isim]: TemplateOid.isim,
  [PeTag.optIsim]: TemplateOid.optIsim,
  [PeTag.csim]: TemplateOid.csim,
  [PeTag.optCsim]: TemplateOid.optCsim,
  [PeTag.eap]: TemplateOid.eap,
  [PeTag.df5gs]: TemplateOid.df5gs,
  [PeTag.dfSaip]: TemplateOid.dfSaip,
};

export interface CheckedElement {
  /** PEHeader identification (undefined for the ProfileHeader). */
  identification?: number;
  /** True when the PE is not one this codec knows (accepted because not mandated). */
  unknown: boolean;
}

/** Checks one ProfileElement other than the ProfileHeader; throws PeStructureError. */
export function checkProfileElement(pe: Tlv): CheckedElement {
  const name = peName(pe.tag) ?? `PE ${pe.tag.toString(16).toUpperCase()}`;
  const fail = (path: string, message: string): never => {
    throw new PeStructureError(path === '' ? name : `${name}.${path}`, message);
  };
  let fields: Tlv[];
  try {
    fields = children(pe);
  } catch (e) {
    if (e instanceof TlvError) fail('', e.message);
    throw e;
  }
  const known = peName(pe.tag) !== undefined && !/^rfu/.test(peName(pe.tag)!);
  const head = fields[0];
  if (!head || head.tag !== 0xa0) return fail('', 'does not start with its PEHeader');
  const { id, mandated } = peHeaderOf(head, fail);
  if (!known) {
    if (mandated) fail('header', 'an unsupported ProfileElement is marked mandated');
    return { identification: id, unknown: true };
  }
  const rest = fields.slice(1);
  if (TEMPLATE_PES.has(pe.tag)) checkTemplatePe(pe.tag, rest, fail);
  else
    switch (pe.tag) {
      case PeTag.genericFileManagement:
        checkGfm(rest, fail);
        break;
      case PeTag.pinCodes:
        checkPinCodes(rest, fail);
        break;
      case PeTag.pukCodes:
        checkPukCodes(rest, fail);
        break;
      case PeTag.akaParameter:
        checkAka(rest, fail);
        break;
      case PeTag.cdmaParameter:
        if (rest[0]?.tag !== 0x81 || rest[0].value.length !== 8)
          fail('authenticationKey', 'must be 8 bytes');
        break;
      case PeTag.securityDomain:
        checkSecurityDomain(rest, fail);
        break;
      case PeTag.rfm:
        checkRfm(rest, fail);
        break;
      case PeTag.end:
        if (rest.length > 0) fail('', 'holds more than its PEHeader');
        break;
      default:
        // application, nonStandard: only the header is needed to carry on.
        break;
    }
  return { identification: id, unknown: false };
}

type Fail = (path: string, message: string) => never;

function peHeaderOf(head: Tlv, fail: Fail): { id: number; mandated: boolean } {
  const f = children(head);
  let i = 0;
  let mandated = false;
  if (f[i]?.tag === 0x80) {
    if (f[i]!.value.length !== 0) fail('header.mandated', 'must be NULL');
    mandated = true;
    i++;
  }
  const ident = f[i];
  if (ident?.tag !== 0x81 || f.length !== i + 1)
    fail('header', 'must be [mandated] identification');
  const id = uint(ident, 'header.identification', 0x7fff, fail);
  return { id, mandated };
}

function uint(t: Tlv, path: string, max: number, fail: Fail): number {
  let n: number;
  try {
    n = decodeUnsigned(t.value);
  } catch {
    return fail(path, 'is not a non-negative INTEGER');
  }
  if (n > max) fail(path, `exceeds ${max}`);
  return n;
}

/** Context tag number of a constructed context-class field (A0.., BF1F..). */
function fieldNumber(tag: number): number | undefined {
  if (tag >= 0xa0 && tag <= 0xbe) return tag - 0xa0;
  if (tag >= 0xbf1f && tag <= 0xbf7f) return tag - 0xbf00;
  return undefined;
}

function checkTemplatePe(tag: number, rest: Tlv[], fail: Fail): void {
  const tid = rest[0];
  if (tid?.tag !== 0x81) return fail('templateID', 'missing');
  let oid: string;
  try {
    oid = decodeOid(tid.value);
  } catch {
    return fail('templateID', 'is not an OBJECT IDENTIFIER');
  }
  const expected = TEMPLATE_OF[tag];
  if (expected !== undefined && oid !== expected && !oid.startsWith(`${expected}.`))
    fail('templateID', `${oid} is not a template for this ProfileElement`);
  let last = 1;
  for (const file of rest.slice(1)) {
    const n = fieldNumber(file.tag);
    const path = `[${n ?? file.tag.toString(16)}]`;
    if (n === undefined || !file.constructed) fail(path, 'is not a File');
    if (n <= last) fail(path, 'files out of order or repeated');
    last = n!;
    checkFile(file, path, fail);
  }
}

function checkFile(file: Tlv, path: string, fail: Fail): void {
  for (const item of children(file)) {
    switch (item.tag) {
      case 0x80:
        if (item.value.length !== 0) fail(`${path}.doNotCreate`, 'must be NULL');
        break;
      case 0xa1:
        checkFcp(item, `${path}.fileDescriptor`, fail);
        break;
      case 0x82:
        uint(item, `${path}.fillFileOffset`, 0xffff, fail);
        break;
      case 0x83:
        break;
      default:
        fail(path, `unexpected tag ${item.tag.toString(16).toUpperCase()}`);
    }
  }
}

const FCP_SIZES: Partial<Record<number, [number, number]>> = {
  0x82: [2, 4],
  0x83: [2, 2],
  0x84: [5, 16],
  0x8a: [1, 1],
  0x8b: [1, 3],
  0x88: [0, 1],
  0xc7: [0, 8],
};

function checkFcp(fcp: Tlv, path: string, fail: Fail): void {
  for (const f of children(fcp)) {
    const size = FCP_SIZES[f.tag];
    if (size) {
      if (f.value.length < size[0] || f.value.length > size[1])
        fail(`${path}.${f.tag.toString(16).toUpperCase()}`, 'has a wrong length');
    } else if (f.tag === 0x80) {
      if (f.value.length === 0 || (f.value.length > 1 && f.value[0] === 0))
        fail(`${path}.efFileSize`, 'must be on the fewest octets');
    } else if (f.tag === 0xa5) {
      children(f);
    } else if (f.tag !== 0xc6) {
      fail(path, `unexpected tag ${f.tag.toString(16).toUpperCase()}`);
    }
  }
}

function checkGfm(rest: Tlv[], fail: Fail): void {
  const cmds = rest[0];
  if (cmds?.tag !== 0xa1 || rest.length !== 1) return fail('fileManagementCMD', 'missing');
  const list = children(cmds);
  if (list.length === 0) fail('fileManagementCMD', 'is empty');
  list.forEach((fm, i) => {
    const path = `fileManagementCMD[${i}]`;
    if (fm.tag !== 0x30) fail(path, 'is not a FileManagement SEQUENCE');
    const steps = children(fm);
    if (steps.length === 0) fail(path, 'is empty');
    for (const s of steps) {
      if (s.tag === 0x80) {
        if (s.value.length > 8 || s.value.length % 2 !== 0)
          fail(`${path}.filePath`, 'must be up to four file IDs');
      } else if (s.tag === 0x62) checkFcp(s, `${path}.createFCP`, fail);
      else if (s.tag === 0x02) uint(s, `${path}.fillFileOffset`, 0xffff, fail);
      else if (s.tag !== 0x81) fail(path, `unexpected tag ${s.tag.toString(16).toUpperCase()}`);
    }
  });
}

function checkPinCodes(rest: Tlv[], fail: Fail): void {
  const codes = rest[0];
  if (codes?.tag !== 0xa1 || rest.length !== 1) return fail('pinCodes', 'missing');
  const choice = children(codes);
  if (choice.length !== 1) return fail('pinCodes', 'must hold one alternative');
  const alt = choice[0]!;
  if (alt.tag === 0x81) {
    if (alt.value.length > 8) fail('pinCodes.filePath', 'longer than 8 bytes');
    return;
  }
  if (alt.tag !== 0xa0) return fail('pinCodes', 'unknown alternative');
  const list = children(alt);
  if (list.length < 1 || list.length > 26) fail('pinCodes.pinconfig', 'must hold 1 to 26 PINs');
  const seen = new Set<number>();
  list.forEach((cfg, i) => {
    const path = `pinCodes.pinconfig[${i}]`;
    const f = children(cfg);
    if (f[0]?.tag !== 0x80) return fail(path, 'keyReference missing');
    const ref = uint(f[0], `${path}.keyReference`, 255, fail);
    if (seen.has(ref)) fail(`${path}.keyReference`, 'defined twice');
    seen.add(ref);
    if (f[1]?.tag !== 0x81 || f[1].value.length !== 8) fail(`${path}.pinValue`, 'must be 8 bytes');
    for (const o of f.slice(2)) {
      if (o.tag < 0x82 || o.tag > 0x84) fail(path, `unexpected tag ${o.tag.toString(16)}`);
      uint(o, path, 255, fail);
    }
  });
}

function checkPukCodes(rest: Tlv[], fail: Fail): void {
  const codes = rest[0];
  if (codes?.tag !== 0xa1 || rest.length !== 1) return fail('pukCodes', 'missing');
  const list = children(codes);
  if (list.length < 1 || list.length > 16) fail('pukCodes', 'must hold 1 to 16 PUKs');
  list.forEach((cfg, i) => {
    const path = `pukCodes[${i}]`;
    const f = children(cfg);
    if (f[0]?.tag !== 0x80) return fail(path, 'keyReference missing');
    uint(f[0], `${path}.keyReference`, 255, fail);
    if (f[1]?.tag !== 0x81 || f[1].value.length !== 8) fail(`${path}.pukValue`, 'must be 8 bytes');
  });
}

function checkAka(rest: Tlv[], fail: Fail): void {
  const conf = rest[0];
  if (conf?.tag !== 0xa1) return fail('algoConfiguration', 'missing');
  const alt = children(conf);
  if (alt.length !== 1) return fail('algoConfiguration', 'must hold one alternative');
  const a = alt[0]!;
  if (a.tag === 0xa0) {
    const f = children(a);
    if (f[0]?.tag !== 0x80 || f[0].value.length !== 1)
      fail('mappingParameter.mappingOptions', 'must be 1 byte');
    const src = f[1];
    if (src?.tag !== 0x81 || src.value.length < 5 || src.value.length > 16)
      fail('mappingParameter.mappingSource', 'must be an AID');
  } else if (a.tag === 0xa1) {
    const f = children(a);
    if (f[0]?.tag !== 0x80) return fail('algoParameter.algorithmID', 'missing');
    const algo = uint(f[0], 'algoParameter.algorithmID', 255, fail);
    if (algo < 1 || algo > 3) fail('algoParameter.algorithmID', `unknown algorithm ${algo}`);
    if (f[1]?.tag !== 0x81 || f[1].value.length !== 1)
      fail('algoParameter.algorithmOptions', 'must be 1 byte');
    const key = f[2];
    const opc = f[3];
    if (key?.tag !== 0x82 || opc?.tag !== 0x83) return fail('algoParameter', 'key or opc missing');
    if (algo !== 3 && key.value.length !== 16 && key.value.length !== 32)
      fail('algoParameter.key', 'must be 16 or 32 bytes');
  } else fail('algoConfiguration', 'unknown alternative');
  const sizes: Partial<Record<number, number>> = { 0x82: 1, 0x83: 6, 0x84: 6 };
  for (const t of rest.slice(1)) {
    const size = sizes[t.tag];
    if (size !== undefined) {
      if (t.value.length !== size) fail(`sqn ${t.tag.toString(16)}`, `must be ${size} bytes`);
    } else if (t.tag === 0xa5) {
      const init = children(t);
      if (init.length !== 32 || init.some((s) => s.tag !== 0x04 || s.value.length !== 6))
        fail('sqnInit', 'must be 32 values of 6 bytes');
    } else fail('', `unexpected tag ${t.tag.toString(16).toUpperCase()}`);
  }
}

function checkSecurityDomain(rest: Tlv[], fail: Fail): void {
  const inst = rest[0];
  if (inst?.tag !== 0xa1) return fail('instance', 'missing');
  const f = children(inst);
  const aids = f.filter((t) => t.tag === 0x4f);
  if (aids.length < 3) fail('instance', 'needs load package, class and instance AIDs');
  if (!f.some((t) => t.tag === 0x82)) fail('instance.applicationPrivileges', 'missing');
  const keys = rest.find((t) => t.tag === 0xa2);
  if (keys)
    children(keys).forEach((k, i) => {
      const kf = children(k);
      if (!kf.some((t) => t.tag === 0x95) || !kf.some((t) => t.tag === 0x82))
        fail(`keyList[${i}]`, 'usage qualifier or key identifier missing');
      const comps = kf.find((t) => t.tag === 0x30);
      if (!comps || children(comps).length === 0) fail(`keyList[${i}].keyComponents`, 'missing');
    });
}

function checkRfm(rest: Tlv[], fail: Fail): void {
  const aid = rest[0];
  if (aid?.tag !== 0x4f || aid.value.length < 5 || aid.value.length > 16)
    fail('instanceAID', 'missing');
  const level = rest.find((t) => t.tag === 0x81);
  if (level?.value.length !== 1) fail('minimumSecurityLevel', 'must be 1 byte');
  if (rest.filter((t) => t.tag === 0x04).length < 2)
    fail('uiccAccessDomain', 'access domains missing');
}
