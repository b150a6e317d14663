// Expected bytes worked out by hand from USB CCID rev 1.1 §6.1 (host to reader), §6.2 (reader to
// host) and §6.3 (interrupt): 10-byte header = bMessageType, dwLength (LE), bSlot, bSeq, 3 bytes.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ChainParameter,
  CcidMessageType,
  LevelParameter,
  abort,
  checkResponse,
  encodeNotifySlotChange,
  encodeResponse,
  getParameters,
  getSlotStatus,
  iccPowerOff,
  iccPowerOn,
  parseCommand,
  parseInterrupt,
  parseResponse,
  setParameters,
  xfrBlock,
} from '../../../src/transport/webusb-ccid/ccid-messages.ts';
import { CcidError, ccidErrorName } from '../../../src/transport/webusb-ccid/errors.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

describe('host-to-reader messages', () => {
  it.each([
    ['IccPowerOn slot 0 seq 0, automatic voltage', iccPowerOn(0, 0), '62000000000000000000'],
    ['IccPowerOn slot 1 seq 7, 3 V', iccPowerOn(1, 7, 2), '62000000000107020000'],
    ['IccPowerOff', iccPowerOff(0, 0x42), '63000000000042000000'],
    ['GetSlotStatus', getSlotStatus(2, 0xff), '650000000002FF000000'],
    ['GetParameters', getParameters(0, 3), '6C000000000003000000'],
    ['Abort', abort(0, 9), '72000000000009000000'],
    [
      'XfrBlock SELECT, wLevelParameter 0',
      xfrBlock(0, 1, fromHex('00A4040000')),
      '6F05000000000100000000A4040000',
    ],
    [
      'XfrBlock chained begin (wLevelParameter 0x0001, little endian)',
      xfrBlock(0, 2, fromHex('AA'), LevelParameter.begins),
      '6F0100000000020001' + '00AA',
    ],
    [
      'XfrBlock empty, next response part (0x0010)',
      xfrBlock(0, 3, new Uint8Array(0), LevelParameter.getNext),
      '6F000000000003001000',
    ],
  ])('%s', (_name, bytes, hex) => {
    expect(toHex(bytes)).toBe(hex);
  });

  it('SetParameters T=0 (table 6.1-7): bmFindexDindex, bmTCCKST0, guard, WI, clock stop', () => {
    const m = setParameters(0, 4, {
      protocol: 0,
      findexDindex: 0x96,
      convention: 'inverse',
      guardTime: 2,
      waitingInteger: 10,
      clockStop: 0,
    });
    expect(toHex(m)).toBe('61050000000004000000' + '9602020A00');
  });

  it('SetParameters T=1 (table 6.1-8): bmTCCKST1 = 0x10 | convention | CRC', () => {
    const m = setParameters(0, 5, {
      protocol: 1,
      findexDindex: 0x11,
      checksum: 'crc',
      convention: 'direct',
      guardTime: 0,
      waitingIntegers: 0x45,
      clockStop: 0,
      ifsc: 0xfe,
      nad: 0,
    });
    expect(toHex(m)).toBe('61070000000005010000' + '11110045' + '00FE00');
  });

  it('rejects slot and bSeq outside one byte', () => {
    expect(() => iccPowerOn(256, 0)).toThrow(RangeError);
    expect(() => getSlotStatus(0, -1)).toThrow(RangeError);
  });

  it('parseCommand inverts xfrBlock (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(0, 1, 2, 3, 0x10),
        (slot, seq, data, level) => {
          const c = parseCommand(xfrBlock(slot, seq, data, level));
          expect(c.type).toBe(CcidMessageType.PC_to_RDR_XfrBlock);
          expect(c.slot).toBe(slot);
          expect(c.seq).toBe(seq);
          expect(c.specific[1] | (c.specific[2] << 8)).toBe(level);
          expect(toHex(c.data)).toBe(toHex(data));
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('reader-to-host messages', () => {
  it('parses a DataBlock with data', () => {
    const r = parseResponse(fromHex('80030000000001000000' + '019000'));
    expect(r).toMatchObject({ type: 0x80, slot: 0, seq: 1, iccStatus: 0, commandStatus: 0 });
    expect(toHex(r.data)).toBe('019000');
  });

  it('splits bStatus into bmICCStatus and bmCommandStatus', () => {
    // bStatus 0x42 = command failed (bits 6-7 = 01), no ICC present (bits 0-1 = 10)
    const r = parseResponse(fromHex('81000000000005' + '42FE00'));
    expect(r.iccStatus).toBe(2);
    expect(r.commandStatus).toBe(1);
    expect(r.error).toBe(0xfe);
    expect(() => checkResponse(r)).toThrow(CcidError);
    try {
      checkResponse(r);
    } catch (e) {
      expect(e).toBeInstanceOf(CcidError);
      const err = e as CcidError;
      expect(err.status).toBe(0x42);
      expect(err.error).toBe(0xfe);
      expect(err.errorName).toBe('ICC_MUTE');
      expect(err.reason).toBe('slotError');
    }
  });

  it('a time extension (bmCommandStatus 2) is not an error by itself', () => {
    const r = parseResponse(fromHex('80000000000001800100'));
    expect(r.commandStatus).toBe(2);
    expect(r.error).toBe(1); // BWT multiplier
  });

  it('rejects truncated, overlong and unknown messages', () => {
    expect(() => parseResponse(fromHex('8003000000'))).toThrow(CcidError);
    expect(() => parseResponse(fromHex('80030000000001000000' + '9000'))).toThrow(/announces 3/);
    expect(() => parseResponse(fromHex('6F000000000001000000'))).toThrow(
      /unexpected CCID message type/,
    );
    expect(() => checkResponse(parseResponse(fromHex('800000000000010000C0')))).not.toThrow(); // bChainParameter only
    expect(() => checkResponse(parseResponse(fromHex('80000000000001C00000')))).toThrow(/reserved/);
  });

  it('round-trips encodeResponse/parseResponse (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x80, 0x81, 0x82),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 100 }),
        (type, seq, status, specific, data) => {
          const r = parseResponse(encodeResponse(type, 0, seq, status, 0, specific, data));
          expect([r.type, r.seq, r.status, r.specific]).toEqual([type, seq, status, specific]);
          expect(toHex(r.data)).toBe(toHex(data));
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('interrupt messages (§6.3)', () => {
  it('NotifySlotChange: 2 bits per slot, bit 0 present, bit 1 changed', () => {
    // slot 0 present+changed (11b), slot 1 absent+changed (10b) -> 0b1011 = 0x0B
    expect(
      toHex(
        encodeNotifySlotChange([
          { present: true, changed: true },
          { present: false, changed: true },
        ]),
      ),
    ).toBe('500B');
    const m = parseInterrupt(fromHex('5002'));
    expect(m.type).toBe('slotChange');
    if (m.type === 'slotChange') expect(m.slots[0]).toEqual({ present: false, changed: true });
  });

  it('HardwareError', () => {
    expect(parseInterrupt(fromHex('51000501'))).toEqual({
      type: 'hardwareError',
      slot: 0,
      seq: 5,
      code: 1,
    });
    expect(() => parseInterrupt(fromHex('99'))).toThrow(CcidError);
  });
});

describe('bError names (§6.2.6 table 6.2-2)', () => {
  it.each([
    [0xff, 'CMD_ABORTED'],
    [0xfe, 'ICC_MUTE'],
    [0xfd, 'XFR_PARITY_ERROR'],
    [0xfc, 'XFR_OVERRUN'],
    [0xfb, 'HW_ERROR'],
    [0xf8, 'BAD_ATR_TS'],
    [0xf7, 'BAD_ATR_TCK'],
    [0xf6, 'ICC_PROTOCOL_NOT_SUPPORTED'],
    [0xf5, 'ICC_CLASS_NOT_SUPPORTED'],
    [0xf4, 'PROCEDURE_BYTE_CONFLICT'],
    [0xf3, 'DEACTIVATED_PROTOCOL'],
    [0xf2, 'BUSY_WITH_AUTO_SEQUENCE'],
    [0xe0, 'CMD_SLOT_BUSY'],
    [0x00, 'CMD_NOT_SUPPORTED'],
    [0x05, 'BAD_PARAMETER_AT_OFFSET_5'],
    [0x81, 'VENDOR_ERROR_0x81'],
  ])('bError %i', (code, name) => {
    expect(ccidErrorName(code)).toBe(name);
  });
  it('ChainParameter values', () => {
    expect(ChainParameter).toEqual({ whole: 0, begins: 1, ends: 2, continues: 3, needMore: 0x10 });
  });
});
