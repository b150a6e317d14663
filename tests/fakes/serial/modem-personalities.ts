/**
 * Modem personalities: the fake modem of fake-at-modem.ts configured as the modem families that
 * public reports describe, one table row each. Every row names its public source and what the
 * transport is expected to do with it (work with a given strategy, or fail with a typed error).
 * Rows drive the unit tests over WebSerial and WebUSB and the browser test.
 *
 * Sources (facts only, in our own words):
 *   csimOnly       lpac issue #164: Dell DW5821e offers AT+CSIM but no AT+CCHO/AT+CGLA.
 *   csimBasic      lpac at-modem reports: firmwares whose AT+CSIM reaches the basic channel only
 *                  (MANAGE CHANNEL refused by the modem).
 *   fibocomBare    lpac issue #209 (transcript) and pull request #445: Fibocom FM350-GL answers
 *                  AT+CCHO with a bare channel number, without the "+CCHO:" prefix.
 *   sierraCme      lpac issue #187: Sierra EM9191 answers AT+CCHO of the ISD-R with
 *                  "+CME ERROR: Parameters error" (and has no AT+CCHC).
 *   quectelMidBpp  lpac issue #186: Quectel EC20F answers a plain ERROR to an AT+CGLA in the middle
 *                  of a Bound Profile Package (STORE DATA segment), after which the session is
 *                  cancelled.
 *   urcs           3GPP TS 27.007 §4 / Quectel AT manuals: URCs (+CREG, +QIND, RING) may arrive
 *                  between a command and its final result.
 *   echoOn         lpac issue #173 transcripts: the command echo stays in the answers.
 *   lineCap        modems with a limited AT command buffer: long AT+CGLA lines refused; the
 *                  reason LPAs default to 120-byte STORE DATA blocks on AT links.
 *   staleChannels  lpac issue #143 transcript: lpac closes channels 1-4 with AT+CCHC before it
 *                  opens its own, as an earlier program may have left them open.
 *   slowSegment    lpac pull request #442: a 240 s deadline for AT+CGLA during a BPP, as a segment
 *                  can take minutes while a profile installs.
 *   mmNoise        ModemManager polling the same port: its traffic appears between answers.
 *   mmHolds        ModemManager holding the port: open fails (Chromium NetworkError) or, when
 *                  it reads the port too, no answer ever arrives.
 */
import type { AtStrategy } from '../../../src/transport/webserial-at/at-transport.ts';
import type { FakeModemOptions, FakePortMode } from './fake-at-modem.ts';

export type ModemPersonalityName =
  | 'csimOnly'
  | 'csimBasic'
  | 'fibocomBare'
  | 'sierraCme'
  | 'quectelMidBpp'
  | 'urcs'
  | 'echoOn'
  | 'lineCap'
  | 'lineCapSilent'
  | 'staleChannels'
  | 'slowSegment'
  | 'mmNoise'
  | 'mmHoldsAnswers'
  | 'mmHoldsPort';

export type ModemExpectation =
  | { kind: 'works'; strategy: AtStrategy; block?: number }
  /** A download fails with this error name; chip info and list still work. */
  | { kind: 'downloadFails'; error: string; message: RegExp }
  /** Connecting fails with this error name. */
  | { kind: 'connectFails'; error: string; message: RegExp };

export interface ModemPersonality {
  readonly source: string;
  readonly modem: Omit<FakeModemOptions, 'card'>;
  readonly portMode?: FakePortMode;
  /** Logical channels an earlier program left open on the card (and the modem's handles). */
  readonly staleChannels?: readonly number[];
  /** Transport options the case is reported with (e.g. lpac's 120-byte blocks). */
  readonly transport?: { probeStoreDataBlock?: boolean };
  readonly expect: ModemExpectation;
}

/** STORE DATA with P1 11 (more blocks) of a BPP segment, as the host sends it (channel bits 0). */
const BPP_MIDDLE_BLOCK = /^AT\+CGLA=\d+,\d+,"80E211/;

export const MODEM_PERSONALITIES: Readonly<Record<ModemPersonalityName, ModemPersonality>> = {
  csimOnly: {
    source: 'lpac issue #164 (Dell DW5821e: AT+CSIM only)',
    modem: { mode: 'dw5821e' },
    expect: { kind: 'works', strategy: 'csim' },
  },
  csimBasic: {
    source: 'lpac at-modem reports (AT+CSIM limited to the basic channel)',
    modem: { mode: 'dw5821e', csimBasicOnly: true },
    expect: { kind: 'works', strategy: 'csim-basic' },
  },
  fibocomBare: {
    source: 'lpac issue #209, Fibocom FM350-GL (+CCHO answered by a bare number)',
    modem: { mode: 'fibocom' },
    expect: { kind: 'works', strategy: 'cgla' },
  },
  sierraCme: {
    source: 'lpac issue #187, Sierra EM9191 (+CME ERROR: Parameters error on AT+CCHO)',
    modem: { mode: 'em9191-cme' },
    expect: { kind: 'works', strategy: 'csim' },
  },
  quectelMidBpp: {
    source: 'lpac issue #186, Quectel EC20F (ERROR to AT+CGLA in the middle of a BPP)',
    // The report used 120-byte blocks, so the refusal is not a matter of block size.
    modem: { mode: 'quectel', rules: [{ match: BPP_MIDDLE_BLOCK, nth: 6, reply: ['ERROR'] }] },
    transport: { probeStoreDataBlock: false },
    expect: {
      kind: 'downloadFails',
      error: 'AtCommandError',
      message: /failed: ERROR \(apduRefused\)/,
    },
  },
  urcs: {
    source: '3GPP TS 27.007 §4 and Quectel manuals (URCs between command and answer)',
    modem: { urcs: ['+CREG: 1', '+QIND: "csq",20,99', 'RING'] },
    expect: { kind: 'works', strategy: 'cgla' },
  },
  echoOn: {
    source: 'lpac issue #173 transcripts (echo left on)',
    modem: { echoStaysOn: true },
    expect: { kind: 'works', strategy: 'cgla' },
  },
  lineCap: {
    source: 'AT command buffer limits (long AT+CGLA lines refused with ERROR)',
    modem: { lineCap: { max: 300, behaviour: 'error' } },
    expect: { kind: 'works', strategy: 'cgla', block: 120 },
  },
  lineCapSilent: {
    source: 'AT command buffer limits (long lines dropped without an answer)',
    modem: { lineCap: { max: 300, behaviour: 'silent' } },
    expect: { kind: 'works', strategy: 'cgla', block: 120 },
  },
  staleChannels: {
    source: 'lpac issue #143 transcript (channels left open by an earlier program)',
    modem: { staleHandles: ['1', '2', '3'], staleOnCard: true },
    staleChannels: [1, 2, 3],
    expect: { kind: 'works', strategy: 'cgla' },
  },
  slowSegment: {
    source: 'lpac pull request #442 (240 s AT+CGLA deadline: a BPP segment taking minutes)',
    modem: { rules: [{ match: /^AT\+CGLA=\d+,\d+,"80E291/, nth: 12, simulatedMs: 180_000 }] },
    expect: { kind: 'works', strategy: 'cgla' },
  },
  mmNoise: {
    source: 'ModemManager polling the same port (its traffic between our answers)',
    modem: { noise: ['+CSQ: 20,99', 'AT+CPIN?', '+CPIN: READY', '\u0000\u00ff~'] },
    expect: { kind: 'works', strategy: 'cgla' },
  },
  mmHoldsAnswers: {
    source: 'ModemManager reading the same port (answers never arrive)',
    modem: { answersLost: true },
    expect: { kind: 'connectFails', error: 'AtNoAnswerError', message: /does not answer/ },
  },
  mmHoldsPort: {
    source: 'ModemManager holding the port (open fails)',
    modem: {},
    portMode: 'busy',
    expect: {
      kind: 'connectFails',
      error: 'SerialAccessError',
      message: /another program or tab holds it/,
    },
  },
};
