/**
 * USB CCID rev 1.1 message framing (pure: bytes in, bytes out).
 *
 * Every bulk message starts with a 10-byte header (§6.1, §6.2): bMessageType, dwLength (little
 * endian, length of abData), bSlot, bSeq, then three message-specific bytes. Answers on the
 * bulk-IN pipe carry bStatus (bmICCStatus in bits 0-1, bmCommandStatus in bits 6-7) and bError
 * (§6.2.6). The interrupt pipe carries RDR_to_PC_NotifySlotChange and RDR_to_PC_HardwareError
 * (§6.3).
 */
import { CcidError, ccidErrorName } from './errors.ts';

/** bMessageType values, §6.1 (host to reader) and §6.2/§6.3 (reader to host). */
export const CcidMessageType = {
  PC_to_RDR_SetParameters: 0x61,
  PC_to_RDR_IccPowerOn: 0x62,
  PC_to_RDR_IccPowerOff: 0x63,
  PC_to_RDR_GetSlotStatus: 0x65,
  PC_to_RDR_GetParameters: 0x6c,
  PC_to_RDR_XfrBlock: 0x6f,
  PC_to_RDR_Abort: 0x72,
  RDR_to_PC_DataBlock: 0x80,
  RDR_to_PC_SlotStatus: 0x81,
  RDR_to_PC_Parameters: 0x82,
  RDR_to_PC_NotifySlotChange: 0x50,
  RDR_to_PC_HardwareError: 0x51,
} as const;

export const CCID_HEADER_LENGTH = 10;

/** bPowerSelect of PC_to_RDR_IccPowerOn, §6.1.1. */
export const PowerSelect = { automatic: 0, v5: 1, v3: 2, v1_8: 3 } as const;
export type PowerSelect = (typeof PowerSelect)[keyof typeof PowerSelect];

/**
 * wLevelParameter of PC_to_RDR_XfrBlock for extended APDU level readers, §6.1.4 table 6.1-3:
 * how this message's abData relates to the whole command APDU.
 */
export const LevelParameter = {
  whole: 0x0000, // the command APDU begins and ends here
  begins: 0x0001, // begins here and continues in the next message
  ends: 0x0002, // continues from the previous message and ends here
  continues: 0x0003, // continues, and another block follows
  getNext: 0x0010, // empty abData: send the next part of the response APDU
} as const;

/** bChainParameter of RDR_to_PC_DataBlock, §6.2.1 (extended APDU level only). */
export const ChainParameter = {
  whole: 0x00,
  begins: 0x01,
  ends: 0x02,
  continues: 0x03,
  needMore: 0x10, // empty abData: the reader waits for the next part of the command APDU
} as const;

/** bmICCStatus (bits 0-1 of bStatus), §6.2.6. */
export const IccStatus = { active: 0, inactive: 1, absent: 2 } as const;
/** bmCommandStatus (bits 6-7 of bStatus), §6.2.6. */
export const CommandStatus = { ok: 0, failed: 1, timeExtension: 2 } as const;

function header(
  type: number,
  dataLength: number,
  slot: number,
  seq: number,
  b7: number,
  b8: number,
  b9: number,
): Uint8Array {
  if (!Number.isInteger(slot) || slot < 0 || slot > 0xff) throw new RangeError(`bad slot ${slot}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xff) throw new RangeError(`bad bSeq ${seq}`);
  const out = new Uint8Array(CCID_HEADER_LENGTH + dataLength);
  const view = new DataView(out.buffer);
  out[0] = type;
  view.setUint32(1, dataLength, true);
  out[5] = slot;
  out[6] = seq;
  out[7] = b7;
  out[8] = b8;
  out[9] = b9;
  return out;
}

/** PC_to_RDR_IccPowerOn (§6.1.1). The reader answers with a DataBlock holding the ATR. */
export function iccPowerOn(
  slot: number,
  seq: number,
  power: PowerSelect = PowerSelect.automatic,
): Uint8Array {
  return header(CcidMessageType.PC_to_RDR_IccPowerOn, 0, slot, seq, power, 0, 0);
}

/** PC_to_RDR_IccPowerOff (§6.1.2). Answered by a SlotStatus. */
export function iccPowerOff(slot: number, seq: number): Uint8Array {
  return header(CcidMessageType.PC_to_RDR_IccPowerOff, 0, slot, seq, 0, 0, 0);
}

/** PC_to_RDR_GetSlotStatus (§6.1.3). Answered by a SlotStatus. */
export function getSlotStatus(slot: number, seq: number): Uint8Array {
  return header(CcidMessageType.PC_to_RDR_GetSlotStatus, 0, slot, seq, 0, 0, 0);
}

/** PC_to_RDR_GetParameters (§6.1.5). Answered by a Parameters message. */
export function getParameters(slot: number, seq: number): Uint8Array {
  return header(CcidMessageType.PC_to_RDR_GetParameters, 0, slot, seq, 0, 0, 0);
}

/** PC_to_RDR_Abort (§6.1.13), sent after the class request ABORT on the control pipe. */
export function abort(slot: number, seq: number): Uint8Array {
  return header(CcidMessageType.PC_to_RDR_Abort, 0, slot, seq, 0, 0, 0);
}

/**
 * PC_to_RDR_XfrBlock (§6.1.4): abData is a TPDU, a short APDU or a part of an extended APDU,
 * depending on the reader's exchange level. bBWI extends the block waiting time (T=1 only).
 */
export function xfrBlock(
  slot: number,
  seq: number,
  data: Uint8Array,
  levelParameter: number = LevelParameter.whole,
  bwi = 0,
): Uint8Array {
  const out = header(
    CcidMessageType.PC_to_RDR_XfrBlock,
    data.length,
    slot,
    seq,
    bwi,
    levelParameter & 0xff,
    (levelParameter >> 8) & 0xff,
  );
  out.set(data, CCID_HEADER_LENGTH);
  return out;
}

/** Protocol data for SetParameters, §6.1.7 tables 6.1-7 (T=0) and 6.1-8 (T=1). */
export type ProtocolParameters =
  | {
      protocol: 0;
      /** bmFindexDindex: TA1 of the ATR (0x11 = default Fi 372, Di 1). */
      findexDindex: number;
      /** bmTCCKST0: bit 1 = inverse convention. */
      convention: 'direct' | 'inverse';
      /** bGuardTimeT0: extra guard time N (TC1). */
      guardTime: number;
      /** bWaitingIntegerT0: WI (TC2, default 10). */
      waitingInteger: number;
      /** bClockStop: 0 = not allowed. */
      clockStop: number;
    }
  | {
      protocol: 1;
      findexDindex: number;
      /** bmTCCKST1: checksum type; bit 0 = CRC instead of LRC. */
      checksum: 'lrc' | 'crc';
      convention: 'direct' | 'inverse';
      guardTime: number;
      /** bWaitingIntegersT1: BWI in the high nibble, CWI in the low nibble (TB3). */
      waitingIntegers: number;
      clockStop: number;
      /** bIFSC: card's maximum information field size (TA3, default 32). */
      ifsc: number;
      /** bNadValue. */
      nad: number;
    };

/** PC_to_RDR_SetParameters (§6.1.7). Answered by a Parameters message. */
export function setParameters(slot: number, seq: number, params: ProtocolParameters): Uint8Array {
  const inverse = params.convention === 'inverse' ? 0x02 : 0x00;
  const data =
    params.protocol === 0
      ? Uint8Array.of(
          params.findexDindex,
          inverse,
          params.guardTime,
          params.waitingInteger,
          params.clockStop,
        )
      : Uint8Array.of(
          params.findexDindex,
          // bmTCCKST1 bits 7..2 are fixed to 000100b (§6.1.7 table 6.1-8), so 0x10 | conv | crc.
          0x10 | inverse | (params.checksum === 'crc' ? 0x01 : 0x00),
          params.guardTime,
          params.waitingIntegers,
          params.clockStop,
          params.ifsc,
          params.nad,
        );
  const out = header(
    CcidMessageType.PC_to_RDR_SetParameters,
    data.length,
    slot,
    seq,
    params.protocol,
    0,
    0,
  );
  out.set(data, CCID_HEADER_LENGTH);
  return out;
}

/** A decoded bulk-IN answer (DataBlock, SlotStatus or Parameters). */
export interface CcidResponse {
  type: number;
  slot: number;
  seq: number;
  /** The raw bStatus byte. */
  status: number;
  /** bmICCStatus: 0 active, 1 present but inactive, 2 absent. */
  iccStatus: number;
  /** bmCommandStatus: 0 ok, 1 failed, 2 time extension requested. */
  commandStatus: number;
  /** bError (for a time extension: the BWT multiplier). */
  error: number;
  /** bChainParameter (DataBlock), bClockStatus (SlotStatus) or bProtocolNum (Parameters). */
  specific: number;
  data: Uint8Array;
}

const RESPONSE_TYPES: ReadonlySet<number> = new Set([
  CcidMessageType.RDR_to_PC_DataBlock,
  CcidMessageType.RDR_to_PC_SlotStatus,
  CcidMessageType.RDR_to_PC_Parameters,
]);

/**
 * Length of the whole message whose first bytes are `head` (at least 10 bytes), so a reader of
 * the bulk pipe knows how many bytes to wait for.
 */
export function messageLength(head: Uint8Array): number {
  if (head.length < CCID_HEADER_LENGTH)
    throw new CcidError('CCID message shorter than its 10-byte header', 'badMessage');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return CCID_HEADER_LENGTH + view.getUint32(1, true);
}

/** Parses one bulk-IN message. Throws CcidError('badMessage') when it is malformed. */
export function parseResponse(bytes: Uint8Array): CcidResponse {
  const total = messageLength(bytes);
  const type = bytes[0]!;
  if (!RESPONSE_TYPES.has(type)) {
    throw new CcidError(
      `unexpected CCID message type 0x${type.toString(16).padStart(2, '0')} on the bulk-IN pipe`,
      'badMessage',
    );
  }
  if (bytes.length !== total) {
    throw new CcidError(
      `CCID message announces ${total - CCID_HEADER_LENGTH} data bytes but carries ${bytes.length - CCID_HEADER_LENGTH}`,
      'badMessage',
    );
  }
  const status = bytes[7]!;
  return {
    type,
    slot: bytes[5]!,
    seq: bytes[6]!,
    status,
    iccStatus: status & 0x03,
    commandStatus: (status >> 6) & 0x03,
    error: bytes[8]!,
    specific: bytes[9]!,
    data: bytes.slice(CCID_HEADER_LENGTH),
  };
}

/**
 * Throws the CcidError a failed answer stands for (bmCommandStatus = 1). Time extensions must be
 * handled by the caller before this (they are not errors).
 */
export function checkResponse(response: CcidResponse): CcidResponse {
  if (response.commandStatus === CommandStatus.failed) {
    throw new CcidError(
      `reader reports ${ccidErrorName(response.error)} (bStatus 0x${response.status.toString(16).padStart(2, '0')}, bError 0x${response.error.toString(16).padStart(2, '0')})`,
      'slotError',
      response.status,
      response.error,
    );
  }
  if (response.commandStatus === 3) {
    throw new CcidError(
      'reserved bmCommandStatus 3',
      'badMessage',
      response.status,
      response.error,
    );
  }
  return response;
}

/** A decoded interrupt-IN message, §6.3. */
export type CcidInterruptMessage =
  | {
      type: 'slotChange';
      /** One entry per slot reported: card present now, and whether it changed since the last report. */
      slots: { present: boolean; changed: boolean }[];
    }
  | { type: 'hardwareError'; slot: number; seq: number; code: number };

/** Parses RDR_to_PC_NotifySlotChange (§6.3.1) or RDR_to_PC_HardwareError (§6.3.2). */
export function parseInterrupt(bytes: Uint8Array): CcidInterruptMessage {
  const type = bytes[0];
  if (type === CcidMessageType.RDR_to_PC_NotifySlotChange) {
    // bmSlotICCState: two bits per slot, slot 0 in bits 0-1; bit 0 = present, bit 1 = changed.
    const slots: { present: boolean; changed: boolean }[] = [];
    for (let i = 1; i < bytes.length; i++) {
      const b = bytes[i]!;
      for (let s = 0; s < 4; s++) {
        slots.push({
          present: ((b >> (2 * s)) & 1) === 1,
          changed: ((b >> (2 * s + 1)) & 1) === 1,
        });
      }
    }
    return { type: 'slotChange', slots };
  }
  if (type === CcidMessageType.RDR_to_PC_HardwareError && bytes.length >= 4) {
    return { type: 'hardwareError', slot: bytes[1]!, seq: bytes[2]!, code: bytes[3]! };
  }
  throw new CcidError(
    `unexpected message on the interrupt pipe (type ${type === undefined ? 'none' : `0x${type.toString(16)}`}, ${bytes.length} bytes)`,
    'badMessage',
  );
}

/** Encodes RDR_to_PC_NotifySlotChange; used by fakes and tests. */
export function encodeNotifySlotChange(
  slots: readonly { present: boolean; changed: boolean }[],
): Uint8Array {
  const out = new Uint8Array(1 + Math.ceil(slots.length / 4));
  out[0] = CcidMessageType.RDR_to_PC_NotifySlotChange;
  slots.forEach((s, i) => {
    const bits = (s.present ? 1 : 0) | (s.changed ? 2 : 0);
    out[1 + (i >> 2)]! |= bits << (2 * (i & 3));
  });
  return out;
}

/** Encodes a reader-to-host bulk answer; used by fakes and tests. */
export function encodeResponse(
  type: number,
  slot: number,
  seq: number,
  status: number,
  error: number,
  specific: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = header(type, data.length, slot, seq, status, error, specific);
  out.set(data, CCID_HEADER_LENGTH);
  return out;
}

/** A decoded host-to-reader message (the fakes' side of the pipe). */
export interface CcidCommand {
  type: number;
  slot: number;
  seq: number;
  /** The three message-specific bytes (bPowerSelect, bBWI + wLevelParameter, bProtocolNum...). */
  specific: [number, number, number];
  data: Uint8Array;
}

/** Parses a host-to-reader bulk message; used by fakes and tests. */
export function parseCommand(bytes: Uint8Array): CcidCommand {
  const total = messageLength(bytes);
  if (bytes.length !== total) throw new CcidError('CCID command length mismatch', 'badMessage');
  return {
    type: bytes[0]!,
    slot: bytes[5]!,
    seq: bytes[6]!,
    specific: [bytes[7]!, bytes[8]!, bytes[9]!],
    data: bytes.slice(CCID_HEADER_LENGTH),
  };
}
