/**
 * The Answers To Reset the served eUICC gives vpcd (ISO/IEC 7816-3 §8), one per protocol: pcscd
 * reads the protocols from the ATR, so a program connecting with T=0 gets T=0 only from the
 * first and T=1 only from the second.
 *
 * T=0 (the default; eUICCs in phones and modems are T=0 cards):
 *
 *   3B 9A 96 80 1F C7 80 31 C1 73 C0 01 1F 82 90 00 9B
 *
 *   3B     TS: direct convention
 *   9A     T0: TA1 and TD1 follow; 10 historical bytes
 *   96     TA1: Fi 512, Di 32 (the usual UICC rate; vpcd carries APDUs, so it is informative)
 *   80     TD1: TD2 follows; T=0
 *   1F     TD2: TA3 follows; T=15 (global bytes)
 *   C7     TA3: clock stop supported, no preference for the state; classes A, B
 *          and C (5 V, 3 V, 1.8 V)
 *   ...    historical bytes (below)
 *   9B     TCK: XOR of T0 to the last historical byte. T=0 alone would need none, but T=15
 *          appears, so it is mandatory (§8.2.5)
 *
 * T=1 (`t1: true`):
 *
 *   3B 9A 96 81 B1 FE 45 1F C7 80 31 C1 73 C0 01 1F 82 90 00 90
 *
 *   96 TA1 as above; 81 TD1: TD2 follows, T=1; B1 TD2: TA3, TB3 and TD3 follow, T=1, so they
 *   are the T=1 parameters (§11.4): FE TA3: IFSC 254, 45 TB3: BWI 4, CWI 5 (CRC not asked: TC3
 *   absent, LRC); 1F TD3: TA4 follows, T=15; C7 TA4 as TA3 of the T=0 ATR; historical bytes;
 *   90 TCK (mandatory with T=1).
 *
 * Historical bytes (ISO/IEC 7816-4 §8.1.1), compact-TLV after the category indicator:
 *
 *   80           category: compact-TLV objects, a status indicator may close them
 *   31 C1        card service data: application selection by full DF name and by partial DF
 *                name (the ISD-R is selected by AID); no EF.DIR or EF.ATR; a card without MF
 *   73 C0 01 1F  card capabilities: DF selection by full and partial DF name; data units of one
 *                byte; no command chaining, no extended Lc/Le; logical channels assigned by the
 *                card (MANAGE CHANNEL open with P2 = 00) and by the terminal; 8 or more channels
 *                (the eUICC has 0-19, ETSI TS 102 221 §10.1.1)
 *   82 90 00     status indicator: SW1-SW2 9000
 *
 * A unit test checks both with the project's ATR parser (src/transport/webusb-ccid/atr.ts).
 */

const HISTORICAL = [0x80, 0x31, 0xc1, 0x73, 0xc0, 0x01, 0x1f, 0x82, 0x90, 0x00];

/** TS, T0 (interface bytes indicator Y1 and K = historical byte count), interface bytes, TCK. */
function build(y1: number, interfaceBytes: number[]): Uint8Array {
  const t0 = (y1 << 4) | HISTORICAL.length;
  const body = [t0, ...interfaceBytes, ...HISTORICAL];
  let tck = 0;
  for (const b of body) tck ^= b;
  return Uint8Array.from([0x3b, ...body, tck]);
}

/** T=0 only (with T=15 global bytes). */
export const ATR_T0: Uint8Array = build(0x9, [0x96, 0x80, 0x1f, 0xc7]);

/** T=1 only (with T=15 global bytes). */
export const ATR_T1: Uint8Array = build(0x9, [0x96, 0x81, 0xb1, 0xfe, 0x45, 0x1f, 0xc7]);

export function atrFor(t1: boolean): Uint8Array {
  return (t1 ? ATR_T1 : ATR_T0).slice();
}
