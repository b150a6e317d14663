/**
 * The software eUICC as a card: APDUs in, responses out (`transmit`), with logical channels
 * 0-19, SELECT of the ISD-R, TERMINAL CAPABILITY, multi-block STORE DATA carrying ES10
 * requests, and GET RESPONSE for long or T=0-style responses.
 */
import { encodeTlv, fromHex } from '../codec/index.ts';
import { systemRng } from '../rsp/index.ts';
import type { Rng } from '../rsp/index.ts';
import {
  CardRemovedError,
  EuiccIdentityError,
  EuiccStateError,
  StatusWordError,
} from './errors.ts';
import { FaultInjector } from './faults.ts';
import { identityFromJson, identityToJson, parseIdentity } from './identity.ts';
import type { EuiccIdentity, ParsedIdentity } from './identity.ts';
import { answerToReset, decodeCla, parseCommand, response, SW } from './iso7816.ts';
import type { CommandApdu } from './iso7816.ts';
import { IsdR } from './isd-r.ts';
import { resolvePersonality } from './personality.ts';
import type { EuiccPersonality, EuiccPersonalityName } from './personality.ts';
import { DEFAULT_CONFIG, DEFAULT_ROOT_DS, STATE_VERSION, validateState } from './state.ts';
import type { EuiccConfig, EuiccState } from './state.ts';

export const ISD_R_AID = fromHex('A0000005591010FFFFFFFF8900000100');

/** Largest ES10 request assembled from STORE DATA blocks. */
const MAX_STORE_DATA = 64 * 1024;
const MAX_CHANNEL = 19;

export interface EuiccRuntimeOptions {
  /** Randomness for challenges and one-time keys (pass seededRng(...) for reproducible runs). */
  rng?: Rng;
  /** Clock for certificate validity checks. */
  now?: () => Date;
  /** Deliver every response through 61xx + GET RESPONSE, as a T=0 card does. */
  t0?: boolean;
  /** Behave like a known card family (src/euicc/personality.ts). */
  personality?: EuiccPersonalityName | EuiccPersonality;
}

export interface CreateEuiccOptions extends EuiccRuntimeOptions {
  identity: EuiccIdentity;
  config?: Partial<EuiccConfig>;
  defaultDpAddress?: string;
  rootDsAddress?: string;
}

interface Channel {
  isdRSelected: boolean;
  storeData?: { blocks: Uint8Array[]; size: number; nextBlock: number } | undefined;
  /** Response bytes waiting for GET RESPONSE, and the status word to end with. */
  pending?: { data: Uint8Array; sw: number } | undefined;
}

export class SoftwareEuicc {
  readonly faults = new FaultInjector();
  /** The last TERMINAL CAPABILITY data received (A9 template). */
  terminalCapability: Uint8Array | undefined;
  private channels = new Map<number, Channel>();
  private readonly isdR: IsdR;
  private readonly t0: boolean;
  private readonly id: ParsedIdentity;
  /** The card family this card behaves like, if any. */
  readonly personality: EuiccPersonality | undefined;
  private readonly isdRAid: Uint8Array;
  private readonly maxChannel: number;

  private constructor(state: EuiccState, identity: EuiccIdentity, options: EuiccRuntimeOptions) {
    this.id = parseIdentity(identity);
    const personality = resolvePersonality(options.personality);
    this.personality = personality;
    this.t0 = options.t0 ?? personality?.t0 ?? false;
    this.isdRAid = personality?.isdRAid ? fromHex(personality.isdRAid) : ISD_R_AID;
    this.maxChannel = personality?.maxChannel ?? MAX_CHANNEL;
    if (personality?.delayMs) this.faults.delay(personality.delayMs);
    this.isdR = new IsdR(
      state,
      this.id,
      options.rng ?? systemRng,
      options.now ?? (() => new Date()),
    );
    this.isdR.personality = personality;
    this.powerUp();
  }

  static create(options: CreateEuiccOptions): SoftwareEuicc {
    const state: EuiccState = {
      version: STATE_VERSION,
      identity: identityToJson(options.identity),
      config: {
        ...DEFAULT_CONFIG,
        ...options.config,
        ...personalityConfig(resolvePersonality(options.personality)),
      },
      rootDsAddress: options.rootDsAddress ?? DEFAULT_ROOT_DS,
      profiles: [],
      notifications: [],
      nextSeqNumber: 1,
      nextIsdp: 0,
    };
    if (options.defaultDpAddress !== undefined) state.defaultDpAddress = options.defaultDpAddress;
    // A card whose state could not be loaded again is refused now (EuiccStateError).
    return new SoftwareEuicc(validateState(state), options.identity, options);
  }

  /**
   * Restores a card from `exportState()` output (validated; throws EuiccStateError). The card
   * is the one that was saved, still powered: a download session that passed PrepareDownload
   * is kept, a Bound Profile Package that was being loaded is not (it was never saved).
   */
  static fromState(state: unknown, options: EuiccRuntimeOptions = {}): SoftwareEuicc {
    const { session, ...s } = validateState(state);
    let euicc: SoftwareEuicc;
    try {
      euicc = new SoftwareEuicc(s, identityFromJson(s.identity), options);
    } catch (e) {
      if (e instanceof EuiccIdentityError || (e instanceof Error && e.name === 'RspCryptoError'))
        throw new EuiccStateError('identity', e.message);
      throw e;
    }
    if (session) euicc.isdR.restoreSession(session);
    return euicc;
  }

  get eid(): string {
    return this.id.eid;
  }

  /** A deep copy of the persistent state (JSON-serialisable), with a prepared download session. */
  exportState(): EuiccState {
    const state = structuredClone(this.isdR.state);
    const session = this.isdR.exportSession();
    if (session) state.session = session;
    return state;
  }

  /** Read-only view of the live state (for tests and UIs; do not mutate). */
  get state(): Readonly<EuiccState> {
    return this.isdR.state;
  }

  /** Answer To Reset bytes. */
  atr(): Uint8Array {
    return answerToReset();
  }

  /** True while a Bound Profile Package is being loaded. */
  get loadingProfile(): boolean {
    return this.isdR.loading;
  }

  /** Set when the last Enable/Disable carried refreshFlag. */
  get lastRefreshRequested(): boolean {
    return this.isdR.lastRefreshRequested;
  }

  /**
   * Card reset (warm reset or power cycle): logical channels closed, selections, STORE DATA
   * buffers, pending responses and the RSP session (with any partially loaded profile) lost.
   */
  reset(): void {
    this.powerUp();
  }

  /** Simulates pulling the card: every APDU throws CardRemovedError until `reinsert()`. */
  remove(): void {
    this.faults.remove();
  }

  /** Puts the card back: it powers up fresh (see `reset`). */
  reinsert(): void {
    this.faults.markInserted();
    this.powerUp();
  }

  private powerUp(): void {
    this.channels = new Map([[0, { isdRSelected: false }]]);
    this.terminalCapability = undefined;
    this.isdR.resetSession();
  }

  /**
   * One command APDU -> response data + SW1 SW2. Throws CardRemovedError when the card is
   * gone (fault injection); every other problem is a status word.
   */
  transmit(apdu: Uint8Array): Uint8Array {
    const fault = this.faults.onApdu();
    if (fault.kind === 'drop') {
      if (fault.processed) this.respond(apdu);
      throw new CardRemovedError();
    }
    if (fault.kind === 'fail') return response(new Uint8Array(0), fault.sw);
    return this.respond(apdu);
  }

  private respond(apdu: Uint8Array): Uint8Array {
    try {
      return this.process(apdu);
    } catch (e) {
      if (e instanceof StatusWordError) return response(new Uint8Array(0), e.sw);
      // An internal fault must not take the "card" down: answer as a card does.
      return response(new Uint8Array(0), SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  private process(apdu: Uint8Array): Uint8Array {
    const cmd = parseCommand(apdu);
    const cla = decodeCla(cmd.cla);
    const channel = this.channels.get(cla.channel);
    if (!channel) throw new StatusWordError(SW.LOGICAL_CHANNEL_NOT_SUPPORTED, 'channel not open');
    if (cmd.ins !== 0xc0) channel.pending = undefined;
    if (cmd.ins !== 0xe2 && channel.storeData) channel.storeData = undefined;
    const inter = cla.kind === 'interindustry';
    switch (cmd.ins) {
      case 0x70:
        if (!inter) throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
        return this.manageChannel(cmd, cla.channel);
      case 0xa4:
        if (!inter) throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
        return this.select(cmd, channel);
      case 0xc0:
        // GET RESPONSE is accepted with the command's class too (lpac and pySim reuse 8n).
        return this.getResponse(cmd, channel);
      case 0xe2:
        if (inter) throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
        return this.storeData(cmd, channel);
      case 0xaa:
        if (inter) throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
        return this.terminalCapabilityCmd(cmd);
      default:
        throw new StatusWordError(SW.INS_NOT_SUPPORTED);
    }
  }

  /** Returns data now, or keeps it for GET RESPONSE (61xx). */
  private deliver(
    channel: Channel,
    cmd: CommandApdu,
    data: Uint8Array,
    sw: number = SW.OK,
  ): Uint8Array {
    if (data.length === 0) return response(data, sw);
    // T=0 cards never return data to a case 4 command; no Le means the same on T=1. Data
    // longer than Ne (at most 256 in a short APDU) goes the same way.
    if (this.t0 || cmd.ne === undefined || data.length > cmd.ne) {
      channel.pending = { data, sw };
      return response(new Uint8Array(0), 0x6100 | (Math.min(data.length, 256) & 0xff));
    }
    return response(data, sw);
  }

  private manageChannel(cmd: CommandApdu, from: number): Uint8Array {
    if (cmd.data.length > 0) throw new StatusWordError(SW.WRONG_LENGTH);
    if (cmd.p1 === 0x00) {
      if (cmd.p2 > this.maxChannel) throw new StatusWordError(SW.WRONG_P1P2);
      if (cmd.p2 !== 0) {
        if (this.channels.has(cmd.p2)) throw new StatusWordError(SW.WRONG_P1P2, 'channel in use');
        this.channels.set(cmd.p2, { isdRSelected: false });
        return response(new Uint8Array(0), SW.OK);
      }
      if (cmd.ne !== undefined && cmd.ne !== 1 && cmd.ne !== 256)
        return response(new Uint8Array(0), 0x6c01);
      for (let ch = 1; ch <= this.maxChannel; ch++) {
        if (!this.channels.has(ch)) {
          this.channels.set(ch, { isdRSelected: false });
          return response(Uint8Array.of(ch), SW.OK);
        }
      }
      throw new StatusWordError(SW.FUNCTION_NOT_SUPPORTED, 'no free logical channel');
    }
    if (cmd.p1 === 0x80) {
      const target = cmd.p2 === 0 ? from : cmd.p2;
      if (target === 0 || target > this.maxChannel) throw new StatusWordError(SW.WRONG_P1P2);
      if (!this.channels.has(target)) throw new StatusWordError(SW.LOGICAL_CHANNEL_NOT_SUPPORTED);
      this.channels.delete(target);
      return response(new Uint8Array(0), SW.OK);
    }
    throw new StatusWordError(SW.WRONG_P1P2);
  }

  private select(cmd: CommandApdu, channel: Channel): Uint8Array {
    // Only selection by DF name (AID), first occurrence, with FCI (00) or without (0C).
    if (cmd.p1 !== 0x04 || (cmd.p2 !== 0x00 && cmd.p2 !== 0x0c))
      throw new StatusWordError(SW.WRONG_P1P2);
    if (cmd.data.length === 0 || cmd.data.length > 16) throw new StatusWordError(SW.WRONG_LENGTH);
    // Right-truncated AIDs select too (ISO/IEC 7816-4 §7.1.1, partial DF name), from 5 bytes (RID).
    const aid = cmd.data;
    const isdRAid = this.isdRAid;
    const matches = aid.length >= 5 && aid.every((b, i) => isdRAid[i] === b);
    if (!matches) throw new StatusWordError(SW.FILE_NOT_FOUND, 'unknown AID');
    channel.isdRSelected = true;
    channel.storeData = undefined;
    if (cmd.p2 === 0x0c) return response(new Uint8Array(0), SW.OK);
    // FCI: 6F { 84 AID, A5 { proprietary data: 9F65 01 FF = maximum command data length } }.
    const fci = encodeTlv(0x6f, encodeTlv(0x84, isdRAid), encodeTlv(0xa5, fromHex('9F6501FF')));
    return this.deliver(channel, cmd, fci);
  }

  private getResponse(cmd: CommandApdu, channel: Channel): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) throw new StatusWordError(SW.WRONG_P1P2);
    if (cmd.data.length > 0 || cmd.ne === undefined) throw new StatusWordError(SW.WRONG_LENGTH);
    const pending = channel.pending;
    if (!pending) throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'nothing to get');
    const available = pending.data.length;
    // Le 00 means "up to 256"; an explicit Le larger than what is left is answered with the
    // exact length to ask for (6Cxx), and the data stays available.
    if (cmd.ne < 256 && cmd.ne > available) return response(new Uint8Array(0), 0x6c00 | available);
    const n = Math.min(cmd.ne, available);
    const out = pending.data.subarray(0, n);
    const rest = pending.data.subarray(n);
    if (rest.length === 0) {
      channel.pending = undefined;
      return response(out, pending.sw);
    }
    channel.pending = { data: rest, sw: pending.sw };
    return response(out, 0x6100 | (Math.min(rest.length, 256) & 0xff));
  }

  private terminalCapabilityCmd(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) throw new StatusWordError(SW.WRONG_P1P2);
    if (cmd.data.length === 0) throw new StatusWordError(SW.WRONG_LENGTH);
    // The data is a terminal capability template A9 (ETSI TS 102 221 §11.1.19).
    if (cmd.data[0] !== 0xa9 || cmd.data.length < 2 || cmd.data[1] !== cmd.data.length - 2)
      throw new StatusWordError(SW.WRONG_DATA);
    this.terminalCapability = cmd.data.slice();
    return response(new Uint8Array(0), SW.OK);
  }

  private storeData(cmd: CommandApdu, channel: Channel): Uint8Array {
    if (!channel.isdRSelected)
      throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'ISD-R not selected');
    const expected = channel.storeData?.nextBlock ?? 0;
    // P1: b8 last block, b5-b4 = 01 BER-TLV structure, b1 response expected -> 11 or 91
    // (GlobalPlatform Card Spec. 11.11.2.1); P2 numbers the blocks from 00.
    if ((cmd.p1 !== 0x11 && cmd.p1 !== 0x91) || cmd.p2 !== expected) {
      channel.storeData = undefined;
      throw new StatusWordError(SW.WRONG_P1P2);
    }
    if (cmd.data.length === 0) {
      channel.storeData = undefined;
      throw new StatusWordError(SW.WRONG_LENGTH);
    }
    const maxBlock = this.personality?.maxStoreDataBlock;
    if (maxBlock !== undefined && cmd.data.length > maxBlock) {
      // The whole request is dropped, as such cards do; the host starts again from block 00.
      channel.storeData = undefined;
      throw new StatusWordError(this.personality?.blockRefusalSw ?? SW.WRONG_LENGTH);
    }
    const sd = channel.storeData ?? { blocks: [], size: 0, nextBlock: 0 };
    sd.blocks.push(cmd.data);
    sd.size += cmd.data.length;
    sd.nextBlock++;
    if (sd.size > MAX_STORE_DATA || sd.nextBlock > 255) {
      channel.storeData = undefined;
      throw new StatusWordError(SW.NOT_ENOUGH_MEMORY);
    }
    if (cmd.p1 === 0x11) {
      channel.storeData = sd;
      return response(new Uint8Array(0), SW.OK);
    }
    channel.storeData = undefined;
    const request = new Uint8Array(sd.size);
    let off = 0;
    for (const b of sd.blocks) {
      request.set(b, off);
      off += b.length;
    }
    const result = this.isdR.handle(request);
    return this.deliver(channel, cmd, result.data, result.sw);
  }
}

/** Config fields a personality sets on a new card. */
function personalityConfig(p: EuiccPersonality | undefined): Partial<EuiccConfig> {
  return p?.nvmBytes !== undefined ? { nvmBytes: p.nvmBytes } : {};
}
