// AT response syntax per ITU-T V.250 §5.7 and 3GPP TS 27.007 §4.1/§9.2 (+CME ERROR), 27.005 §3.2.5
// (+CMS ERROR); vendor lines from the modem reports quoted in docs/platform.md §2.3.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  AtLineSplitter,
  AtResponseParser,
  finalResult,
  isUnsolicited,
  parseLengthHex,
  responseValue,
} from '../../../src/transport/webserial-at/at-lines.ts';
import { AtCommandError } from '../../../src/transport/webserial-at/errors.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

function feed(parser: AtResponseParser, text: string) {
  const splitter = new AtLineSplitter();
  let result;
  for (const line of splitter.push(bytes(text))) {
    result = parser.line(line);
    if (result) return result;
  }
  return result;
}

describe('AtLineSplitter', () => {
  it('cuts at CR, LF and CRLF, drops empty lines and keeps a partial line', () => {
    const s = new AtLineSplitter();
    expect(s.push(bytes('AT\r\r\nOK\r\n\r\n+CSIM: 4,"90'))).toEqual(['AT', 'OK']);
    expect(s.partial).toBe('+CSIM: 4,"90');
    expect(s.push(bytes('00"\n'))).toEqual(['+CSIM: 4,"9000"']);
  });

  it('gives the same lines however the stream is chunked (property)', () => {
    const text = 'ATE0\r\r\nOK\r\n\r\n+CREG: 1\r\n\r\n+CGLA: 4,"9000"\r\n\r\nOK\r\n';
    const whole = new AtLineSplitter().push(bytes(text));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }),
        (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const s = new AtLineSplitter();
          const lines: string[] = [];
          let last = 0;
          for (const p of [...points, text.length]) {
            lines.push(...s.push(bytes(text.slice(last, p))));
            last = p;
          }
          expect(lines).toEqual(whole);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('final result codes', () => {
  it.each([
    ['OK', { kind: 'ok' }],
    ['ERROR', { kind: 'error' }],
    ['+CME ERROR: 13', { kind: 'cme', code: 13 }],
    ['+CME ERROR: Parameters error', { kind: 'cme', code: 'Parameters error' }],
    ['+CMS ERROR: 500', { kind: 'cms', code: 500 }],
    ['NO CARRIER', { kind: 'other', text: 'NO CARRIER' }],
    ['COMMAND NOT SUPPORT', { kind: 'other', text: 'COMMAND NOT SUPPORT' }],
  ])('%s', (line, expected) => {
    expect(finalResult(line)).toEqual(expected);
  });

  it.each(['+CSIM: 4,"9000"', '1', '0', 'OKAY'])('%s is not final', (line) => {
    expect(finalResult(line)).toBeUndefined();
  });
});

describe('unsolicited result codes', () => {
  it.each([
    '+CREG: 1',
    '+CEREG: 5,"1A2B","01C2D3E4",7',
    'RING',
    '^SYSSTART',
    '+QIND: "csq",20,99',
    '+QUSIM: 1',
    'RDY',
    '+CPIN: READY',
    '+PACSP1',
    'SMS DONE',
    '+CMTI: "SM",3',
  ])('%s is a URC', (line) => {
    expect(isUnsolicited(line)).toBe(true);
  });

  it('the expected response prefix is never a URC', () => {
    expect(isUnsolicited('+CPIN: READY', '+CPIN:')).toBe(false);
    expect(isUnsolicited('+CSIM: 4,"9000"')).toBe(false);
    expect(isUnsolicited('1')).toBe(false);
  });
});

describe('AtResponseParser', () => {
  it('drops the echo and URCs, collects information text until OK', () => {
    const urcs: string[] = [];
    const cmd = 'AT+CSIM=10,"0070000001"';
    const r = feed(
      new AtResponseParser(cmd, { prefix: '+CSIM:', onUrc: (l) => urcs.push(l) }),
      `${cmd}\r\r\n+CREG: 1\r\n\r\n+CSIM: 6,"019000"\r\n\r\nRING\r\n\r\nOK\r\n`,
    );
    expect(r?.lines).toEqual(['+CSIM: 6,"019000"']);
    expect(urcs).toEqual(['+CREG: 1', 'RING']);
    expect(responseValue(r!, '+CSIM:')).toBe('6,"019000"');
  });

  it('keeps a bare information line (Fibocom CCHO answer "1")', () => {
    const r = feed(new AtResponseParser('AT+CCHO="A0"'), '\r\n1\r\n\r\nOK\r\n');
    expect(r?.lines).toEqual(['1']);
  });

  it.each([
    ['\r\nERROR\r\n', undefined, undefined],
    ['\r\n+CME ERROR: 13\r\n', 13, undefined],
    ['\r\n+CME ERROR: Parameters error\r\n', 'Parameters error', undefined],
    ['\r\n+CMS ERROR: 304\r\n', undefined, 304],
  ])('error answer %j -> AtCommandError', (text, cme, cms) => {
    const cmd = 'AT+CCHO="A0000005591010FFFFFFFF8900000100"';
    try {
      feed(new AtResponseParser(cmd), text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AtCommandError);
      const err = e as AtCommandError;
      expect(err.command).toBe(cmd);
      expect(err.line).toBe(text.trim());
      expect(err.cme).toBe(cme);
      expect(err.cms).toBe(cms);
    }
  });

  it('an information line equal to the command after the first is kept', () => {
    const r = feed(new AtResponseParser('AT'), 'AT\r\r\nAT\r\nOK\r\n');
    expect(r?.lines).toEqual(['AT']);
  });
});

describe('parseLengthHex', () => {
  it.each([
    ['4,"9000"', { length: 4, hex: '9000' }],
    ['6,019000', { length: 6, hex: '019000' }],
    ['4, "6a82"', { length: 4, hex: '6A82' }],
  ])('%s', (value, expected) => {
    expect(parseLengthHex(value)).toEqual(expected);
  });
  it('rejects non-hex', () => {
    expect(parseLengthHex('4,"90ZZ"')).toBeUndefined();
    expect(parseLengthHex('"9000"')).toBeUndefined();
  });
});
