/**
 * ES10b.LoadBoundProfilePackage on the card side: the BPP arrives as the ES10 calls of
 * docs/protocol.md §5.3 (BF36 header + BF23, A0, A1 header, 88s, [A2], A3 header, 86s). Each call is
 * parsed as a piece of one BF36 byte stream; secured segments are MAC-checked and decrypted
 * with SCP03t (docs/protocol.md §7.6) and the profile package is reassembled element by element.
 *
 * Nothing is installed until the last `86` has been processed and the package is complete;
 * any error stops the load with the BppCommandId/ErrorReason of docs/protocol.md §9.
 */
import {
  bytesEqual,
  children,
  concat,
  decodeBitString,
  decodeOne,
  decodeUnsigned,
  encodeTlv,
  find,
  readTlv,
  required,
  toHex,
  utf8,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { Es10Tag } from '../es10/tags.ts';
import {
  BspError,
  BspSession,
  deriveBspKeys,
  ecka,
  validatePublicKey,
  verifyTr03111,
} from '../rsp/index.ts';
import type { Certificate, EcKeyPair } from '../rsp/index.ts';
import { decodePackageIccid, ProfilePackageParser, SaipError } from '../rsp/saip.ts';
import { MAX_NAME_BYTES, serverAddressProblem } from './state.ts';
import type { NotificationConfigJson, RatEntryJson } from './state.ts';

/** BppCommandId (docs/protocol.md §9). */
export const BppCommand = {
  initialiseSecureChannel: 0,
  configureIsdp: 1,
  storeMetadata: 2,
  replaceSessionKeys: 4,
  loadProfileElements: 5,
} as const;

/** ErrorReason (docs/protocol.md §9). */
export const ErrorReason = {
  incorrectInputValues: 1,
  invalidSignature: 2,
  invalidTransactionId: 3,
  unsupportedCrtValues: 4,
  unsupportedRemoteOperationType: 5,
  unsupportedProfileClass: 6,
  scp03tStructureError: 7,
  scp03tSecurityError: 8,
  iccidAlreadyExistsOnEuicc: 9,
  insufficientMemoryForProfile: 10,
  interruption: 11,
  peProcessingError: 12,
  dataMismatch: 13,
  pprNotAllowed: 15,
  unknownError: 127,
} as const;

export interface BppContext {
  txId: Uint8Array;
  dpPb: Certificate;
  otKey: EcKeyPair;
  eidBytes: Uint8Array;
  /** NVM left for the profile package, bytes. */
  freeNvm: number;
  existingIccids: ReadonlySet<string>;
  rat: readonly RatEntryJson[];
}

export interface ProfileMetadata {
  iccid: string;
  serviceProviderName: string;
  profileName: string;
  iconType?: number;
  icon?: Uint8Array;
  profileClass: number;
  notificationConfig: NotificationConfigJson[];
  ppr: number[];
  profileOwner?: Uint8Array;
  profileOwnerMccMnc?: Uint8Array;
  dpProprietaryData?: Uint8Array;
}

export interface InstalledPackage {
  metadata: ProfileMetadata;
  packageSize: number;
  profileType?: string;
}

export type BppOutcome =
  | { kind: 'continue' }
  | { kind: 'installed'; result: InstalledPackage }
  | { kind: 'failed'; bppCommandId: number; errorReason: number; iccid?: string };

class BppFailure extends Error {
  constructor(
    readonly bppCommandId: number,
    readonly errorReason: number,
    message: string,
  ) {
    super(message);
  }
}

type Stage = 'isc' | 'configure' | 'metadata' | 'keysOrProfile' | 'profile' | 'done';

interface Container {
  tag: 0xa1 | 0xa3;
  remaining: number;
}

export class BppLoader {
  private started = false;
  private finished = false;
  private bppRemaining = 0;
  private stage: Stage = 'isc';
  private container: Container | undefined;
  private bsp: BspSession | undefined;
  private metadataParts: Uint8Array[] = [];
  private metadata: ProfileMetadata | undefined;
  /** StoreMetadata `5A` exactly as received. */
  private metadataIccidBytes: Uint8Array | undefined;
  private readonly parser = new ProfilePackageParser();
  private packageSize = 0;
  private headerChecked = false;

  constructor(private readonly ctx: BppContext) {}

  /** True once the load ended (installed or failed): further segments are refused. */
  get done(): boolean {
    return this.finished;
  }

  /** One ES10 call's worth of BPP bytes. */
  feed(call: Uint8Array): BppOutcome {
    try {
      const outcome = this.process(call);
      if (outcome.kind !== 'continue') this.finished = true;
      return outcome;
    } catch (e) {
      this.finished = true;
      if (e instanceof BppFailure) {
        const out: BppOutcome = {
          kind: 'failed',
          bppCommandId: e.bppCommandId,
          errorReason: e.errorReason,
        };
        if (this.metadata) out.iccid = this.metadata.iccid;
        return out;
      }
      throw e;
    }
  }

  /**
   * The load is cut off (card reset or power loss while segments were still coming): ends it
   * with ErrorReason interruption (11) for the command in progress. The partial profile was
   * never committed, so nothing else needs undoing. Undefined when the load had already ended.
   */
  interrupt(): Exclude<BppOutcome, { kind: 'continue' | 'installed' }> | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    const out: BppOutcome = {
      kind: 'failed',
      bppCommandId: this.currentCommand(),
      errorReason: ErrorReason.interruption,
    };
    if (this.metadata) out.iccid = this.metadata.iccid;
    return out;
  }

  private currentCommand(): number {
    switch (this.stage) {
      case 'isc':
        return BppCommand.initialiseSecureChannel;
      case 'configure':
        return BppCommand.configureIsdp;
      case 'metadata':
        return BppCommand.storeMetadata;
      case 'keysOrProfile':
        return this.container ? BppCommand.storeMetadata : BppCommand.replaceSessionKeys;
      default:
        return BppCommand.loadProfileElements;
    }
  }

  private structure(message: string): BppFailure {
    return new BppFailure(this.currentCommand(), ErrorReason.scp03tStructureError, message);
  }

  private process(call: Uint8Array): BppOutcome {
    let pos = 0;
    if (!this.started) {
      const head = readHeader(call, 0);
      if (!head || head.tag !== Es10Tag.BoundProfilePackage) throw this.structure('no BF36 header');
      this.started = true;
      this.bppRemaining = head.length;
      pos = head.headerLength;
    }
    while (pos < call.length) {
      if (this.container) {
        const tlv = this.readComplete(call, pos);
        const expected = this.container.tag === 0xa1 ? 0x88 : 0x86;
        if (tlv.tag !== expected) throw this.structure(`unexpected tag in sequence`);
        this.container.remaining -= tlv.raw.length;
        if (this.container.remaining < 0) throw this.structure('segment overruns its sequence');
        this.consume(tlv.raw.length);
        if (expected === 0x88) this.storeMetadataSegment(tlv.raw);
        else this.profileSegment(tlv.raw);
        pos += tlv.raw.length;
        if (this.container.remaining === 0) this.closeContainer();
        continue;
      }
      const head = readHeader(call, pos);
      if (!head) throw this.structure('truncated header');
      switch (head.tag) {
        case Es10Tag.InitialiseSecureChannel: {
          if (this.stage !== 'isc') throw this.structure('BF23 out of order');
          const tlv = this.readComplete(call, pos);
          this.initialiseSecureChannel(tlv);
          this.stage = 'configure';
          this.consume(tlv.raw.length);
          pos += tlv.raw.length;
          break;
        }
        case 0xa0: {
          if (this.stage !== 'configure') throw this.structure('A0 out of order');
          const tlv = this.readComplete(call, pos);
          this.configureIsdp(tlv);
          this.stage = 'metadata';
          this.consume(tlv.raw.length);
          pos += tlv.raw.length;
          break;
        }
        case 0xa1:
        case 0xa3: {
          const tag = head.tag;
          if (tag === 0xa1 && this.stage !== 'metadata') throw this.structure('A1 out of order');
          if (tag === 0xa3 && this.stage !== 'keysOrProfile' && this.stage !== 'profile')
            throw this.structure('A3 out of order');
          if (tag === 0xa3) this.stage = 'profile';
          this.consume(head.headerLength);
          pos += head.headerLength;
          this.container = { tag, remaining: head.length };
          if (head.length === 0) this.closeContainer();
          break;
        }
        case 0xa2: {
          if (this.stage !== 'keysOrProfile') throw this.structure('A2 out of order');
          const tlv = this.readComplete(call, pos);
          this.replaceSessionKeys(tlv);
          this.stage = 'profile';
          this.consume(tlv.raw.length);
          pos += tlv.raw.length;
          break;
        }
        default:
          throw this.structure(`unexpected tag ${head.tag.toString(16)}`);
      }
    }
    if (this.stage === 'done' && this.bppRemaining === 0) {
      const metadata = this.metadata!;
      const result: InstalledPackage = { metadata, packageSize: this.packageSize };
      const type = this.parser.header?.profileType;
      if (type !== undefined) result.profileType = type;
      return { kind: 'installed', result };
    }
    return { kind: 'continue' };
  }

  private consume(n: number): void {
    this.bppRemaining -= n;
    if (this.bppRemaining < 0) throw this.structure('data beyond the BF36 length');
  }

  private readComplete(buf: Uint8Array, pos: number): Tlv {
    try {
      return readTlv(buf, pos).tlv;
    } catch {
      throw this.structure('malformed or incomplete TLV');
    }
  }

  private closeContainer(): void {
    const c = this.container!;
    this.container = undefined;
    if (c.tag === 0xa1) {
      this.metadata = this.parseMetadata();
      this.stage = 'keysOrProfile';
    } else {
      this.finishProfile();
      this.stage = 'done';
    }
  }

  private unprotect(raw: Uint8Array, cmd: number): Uint8Array {
    if (!this.bsp) throw new BppFailure(cmd, ErrorReason.scp03tStructureError, 'no secure channel');
    try {
      return this.bsp.unprotect(raw);
    } catch (e) {
      if (e instanceof BspError)
        throw new BppFailure(
          cmd,
          e.reason === 'mac' ? ErrorReason.scp03tSecurityError : ErrorReason.scp03tStructureError,
          e.message,
        );
      throw e;
    }
  }

  private initialiseSecureChannel(tlv: Tlv): void {
    const cmd = BppCommand.initialiseSecureChannel;
    const bad = (reason: number, msg: string): BppFailure => new BppFailure(cmd, reason, msg);
    let fields: Tlv[];
    try {
      fields = children(tlv);
    } catch {
      throw bad(ErrorReason.incorrectInputValues, 'malformed BF23');
    }
    const opId = find(fields, 0x82);
    const txId = find(fields, 0x80);
    const crt = find(fields, 0xa6);
    const otpk = find(fields, 0x5f49);
    const sig = find(fields, 0x5f37);
    if (!opId || !txId || !crt || !otpk || !sig)
      throw bad(ErrorReason.incorrectInputValues, 'BF23 field missing');
    // remoteOpId 1 = installBoundProfilePackage, the only operation defined in v2.
    if (opId.value.length !== 1 || opId.value[0] !== 1)
      throw bad(ErrorReason.unsupportedRemoteOperationType, 'remoteOpId');
    if (!bytesEqual(txId.value, this.ctx.txId)) throw bad(ErrorReason.invalidTransactionId, 'txId');
    let crtFields: Tlv[];
    try {
      crtFields = children(crt);
    } catch {
      throw bad(ErrorReason.incorrectInputValues, 'malformed CRT');
    }
    const keyType = find(crtFields, 0x80);
    const keyLen = find(crtFields, 0x81);
    const hostId = find(crtFields, 0x84);
    // Only AES (key type 88) with 16-byte keys is defined for SCP03t in v2 (docs/protocol.md §5.2).
    if (keyType?.value.length !== 1 || keyType.value[0] !== 0x88)
      throw bad(ErrorReason.unsupportedCrtValues, 'key type');
    if (keyLen?.value.length !== 1 || keyLen.value[0] !== 0x10)
      throw bad(ErrorReason.unsupportedCrtValues, 'key length');
    if (!hostId || hostId.value.length < 1 || hostId.value.length > 16)
      throw bad(ErrorReason.incorrectInputValues, 'hostId');
    const curve = this.ctx.dpPb.curve;
    if (!validatePublicKey(curve, otpk.value))
      throw bad(ErrorReason.incorrectInputValues, 'otPK.DP.ECKA is not a point on the curve');
    const signed = concat(
      opId.raw,
      txId.raw,
      crt.raw,
      otpk.raw,
      encodeTlv(0x5f49, this.ctx.otKey.publicKey),
    );
    if (!verifyTr03111(curve, this.ctx.dpPb.publicKey, signed, sig.value))
      throw bad(ErrorReason.invalidSignature, 'smdpSign');
    const shs = ecka(this.ctx.otKey, otpk.value);
    const keys = deriveBspKeys(shs, {
      hostId: hostId.value,
      eid: this.ctx.eidBytes,
      keyType: 0x88,
      keyLength: 16,
    });
    this.bsp = new BspSession(keys);
  }

  private configureIsdp(tlv: Tlv): void {
    const cmd = BppCommand.configureIsdp;
    let inner: Tlv[];
    try {
      inner = children(tlv);
    } catch {
      throw new BppFailure(cmd, ErrorReason.scp03tStructureError, 'malformed A0');
    }
    if (inner.length !== 1 || inner[0]!.tag !== 0x87)
      throw new BppFailure(cmd, ErrorReason.scp03tStructureError, 'A0 must hold one 87');
    const plain = this.unprotect(inner[0]!.raw, cmd);
    try {
      decodeOne(plain, Es10Tag.ConfigureIsdp);
    } catch {
      throw new BppFailure(cmd, ErrorReason.incorrectInputValues, 'not a ConfigureISDPRequest');
    }
  }

  private storeMetadataSegment(raw: Uint8Array): void {
    this.metadataParts.push(this.unprotect(raw, BppCommand.storeMetadata));
  }

  private parseMetadata(): ProfileMetadata {
    const cmd = BppCommand.storeMetadata;
    let m: ProfileMetadata;
    try {
      const bytes = concat(...this.metadataParts);
      m = decodeMetadata(bytes);
      this.metadataIccidBytes = required(children(decodeOne(bytes)), 0x5a).value.slice();
    } catch (e) {
      throw new BppFailure(cmd, ErrorReason.incorrectInputValues, (e as Error).message);
    }
    if (this.ctx.existingIccids.has(m.iccid))
      throw new BppFailure(cmd, ErrorReason.iccidAlreadyExistsOnEuicc, m.iccid);
    if (m.profileClass > 2) throw new BppFailure(cmd, ErrorReason.unsupportedProfileClass, 'class');
    for (const rule of m.ppr) {
      // Bit 0 (pprUpdateControl) is not a rule the RAT governs.
      if (rule === 0) continue;
      if (!pprAllowed(this.ctx.rat, rule, m.profileOwnerMccMnc))
        throw new BppFailure(cmd, ErrorReason.pprNotAllowed, `ppr${rule}`);
    }
    return m;
  }

  private replaceSessionKeys(tlv: Tlv): void {
    const cmd = BppCommand.replaceSessionKeys;
    let inner: Tlv[];
    try {
      inner = children(tlv);
    } catch {
      throw new BppFailure(cmd, ErrorReason.scp03tStructureError, 'malformed A2');
    }
    if (inner.length !== 1 || inner[0]!.tag !== 0x87)
      throw new BppFailure(cmd, ErrorReason.scp03tStructureError, 'A2 must hold one 87');
    const plain = this.unprotect(inner[0]!.raw, cmd);
    try {
      const f = children(decodeOne(plain, Es10Tag.ReplaceSessionKeys));
      const initialMcv = required(f, 0x80).value;
      const sEnc = required(f, 0x81).value;
      const sMac = required(f, 0x82).value;
      if (initialMcv.length !== 16 || sEnc.length !== 16 || sMac.length !== 16)
        throw new TypeError('key sizes');
      this.bsp = new BspSession({
        sEnc: sEnc.slice(),
        sMac: sMac.slice(),
        initialMcv: initialMcv.slice(),
      });
    } catch {
      throw new BppFailure(cmd, ErrorReason.incorrectInputValues, 'bad ReplaceSessionKeysRequest');
    }
  }

  private profileSegment(raw: Uint8Array): void {
    const cmd = BppCommand.loadProfileElements;
    const plain = this.unprotect(raw, cmd);
    this.packageSize += plain.length;
    if (this.packageSize > this.ctx.freeNvm)
      throw new BppFailure(cmd, ErrorReason.insufficientMemoryForProfile, 'out of NVM');
    try {
      this.parser.push(plain);
    } catch (e) {
      if (e instanceof SaipError)
        throw new BppFailure(cmd, ErrorReason.peProcessingError, e.message);
      throw e;
    }
    this.checkHeader();
  }

  private checkHeader(): void {
    const header = this.parser.header;
    if (this.headerChecked || !header) return;
    this.headerChecked = true;
    // The ProfileHeader ICCID must be the StoreMetadata ICCID, byte for byte (SGP.22 v2.2.2
    // §5.5.3: otherwise ErrorReason dataMismatch, 13).
    if (!bytesEqual(header.iccidBytes, this.metadataIccidBytes!))
      throw new BppFailure(BppCommand.loadProfileElements, ErrorReason.dataMismatch, 'ICCID');
  }

  private finishProfile(): void {
    const cmd = BppCommand.loadProfileElements;
    try {
      this.parser.finish();
    } catch (e) {
      if (e instanceof SaipError)
        throw new BppFailure(cmd, ErrorReason.peProcessingError, e.message);
      throw e;
    }
    if (!this.parser.header || !this.parser.hasEnd)
      throw new BppFailure(cmd, ErrorReason.peProcessingError, 'incomplete profile package');
  }
}

/** StoreMetadataRequest `BF25` (docs/protocol.md §3.1 field table). Throws on malformed input. */
export function decodeMetadata(bytes: Uint8Array): ProfileMetadata {
  const t = decodeOne(bytes, Es10Tag.StoreMetadata);
  const f = children(t);
  // Swapped BCD, or the plain digit order of TS.48 packages when the SM-DP+ copied their header.
  const iccid = decodePackageIccid(required(f, 0x5a, t).value);
  const m: ProfileMetadata = {
    iccid,
    serviceProviderName: utf8.decode(required(f, 0x91, t).value),
    profileName: utf8.decode(required(f, 0x92, t).value),
    profileClass: 2,
    notificationConfig: [],
    ppr: [],
  };
  // Only what the card can keep and load again from its saved state (state.ts) is accepted.
  for (const name of [m.serviceProviderName, m.profileName])
    if (utf8.encode(name).length > MAX_NAME_BYTES) throw new TypeError('name too long');
  const iconType = find(f, 0x93);
  if (iconType) {
    // IconType: jpg (0), png (1).
    m.iconType = decodeUnsigned(iconType.value);
    if (m.iconType > 1) throw new TypeError('unknown iconType');
  }
  const icon = find(f, 0x94);
  if (icon) {
    if (icon.value.length > 1024) throw new TypeError('icon larger than 1024 bytes');
    m.icon = icon.value.slice();
  }
  const cls = find(f, 0x95);
  if (cls) m.profileClass = decodeUnsigned(cls.value);
  const nci = find(f, 0xb6);
  if (nci) {
    for (const entry of children(nci)) {
      const e = children(entry);
      const events = decodeBitString(required(e, 0x80, entry).value);
      // NotificationEvent: install (0), enable (1), disable (2), delete (3).
      if (events.some((b) => b > 3)) throw new TypeError('unknown notification event');
      const address = utf8.decode(required(e, 0x81, entry).value);
      const problem = serverAddressProblem(address);
      if (problem !== undefined) throw new TypeError(`notification address ${problem}`);
      m.notificationConfig.push({ events, address });
    }
  }
  const owner = find(f, 0xb7);
  if (owner) {
    m.profileOwner = owner.raw.slice();
    const mccMnc = find(children(owner), 0x80);
    if (mccMnc) m.profileOwnerMccMnc = mccMnc.value.slice();
  }
  const dp = find(f, 0xb8);
  if (dp) m.dpProprietaryData = dp.raw.slice();
  const ppr = find(f, 0x99);
  if (ppr) m.ppr = decodeBitString(ppr.value);
  return m;
}

/** mccMnc match with 'E' nibbles in the RAT entry as wildcards (SGP.22 OperatorId). */
function mccMncMatches(pattern: string, value: Uint8Array | undefined): boolean {
  const p = pattern.toUpperCase();
  if (/^E+$/.test(p)) return true;
  if (!value) return false;
  const v = toHex(value);
  if (v.length !== p.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== 'E' && p[i] !== v[i]) return false;
  return true;
}

export function pprAllowed(
  rat: readonly RatEntryJson[],
  rule: number,
  ownerMccMnc: Uint8Array | undefined,
): boolean {
  return rat.some(
    (entry) =>
      entry.pprIds.includes(rule) &&
      entry.operators.some((op) => mccMncMatches(op.mccMnc, ownerMccMnc)),
  );
}

/** Tag and length at `pos` without the value (for `BF36`, `A1` and `A3` headers). */
function readHeader(
  buf: Uint8Array,
  pos: number,
): { tag: number; headerLength: number; length: number } | undefined {
  let p = pos;
  if (p >= buf.length) return undefined;
  const first = buf[p++]!;
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    for (let n = 0; ; n++) {
      if (p >= buf.length || n > 2) return undefined;
      const b = buf[p++]!;
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= buf.length) return undefined;
  const l0 = buf[p++]!;
  if (l0 === 0x80 || l0 > 0x84) return undefined;
  let length = l0;
  if (l0 > 0x80) {
    const n = l0 & 0x7f;
    if (p + n > buf.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
  }
  return { tag, headerLength: p - pos, length };
}
