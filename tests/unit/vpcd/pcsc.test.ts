/**
 * The served eUICC through the real PC/SC stack: pcscd with vsmartcard's vpcd driver, the
 * `smartcard` binding as the application. The card is served (by `lpa euicc serve --vpcd` in a
 * process of its own) to vpcd's second reader ("Virtual PCD 00 01", TCP 35964) and read with
 * T=0 and then T=1: SELECT ISD-R and GetEID (BF3E).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import { ATR_T0, ATR_T1 } from '../../../src/server/vpcd/atr.ts';
import { loadSmartcard, serveEuicc, startPcscd, waitForCard } from '../../pcsc.ts';
import type { PcscdHandle } from '../../pcsc.ts';

const READER = 'Virtual PCD 00 01';
const SELECT_ISD_R = fromHex('00A4040010A0000005591010FFFFFFFF890000010000');
const GET_EID = fromHex('80E2910006BF3E035C015A00');

let pcscd: PcscdHandle | undefined;
let dir: string;
beforeAll(async () => {
  pcscd = await startPcscd();
  dir = mkdtempSync(join(tmpdir(), 'weblpa-pcsc-'));
}, 60_000);
afterAll(async () => {
  await pcscd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`the served eUICC through pcscd and vpcd ("${READER}")`, () => {
  it.each([
    ['T=0', false],
    ['T=1', true],
  ] as const)(
    'connects with %s and reads the EID',
    async (_name, t1) => {
      const sc = await loadSmartcard();
      const euicc = SoftwareEuicc.create({
        identity: createTestIdentity({ curve: 'P-256', seed: `pcsc-${t1 ? 1 : 0}` }),
      });
      const state = join(dir, `card-${t1 ? 1 : 0}.json`);
      writeFileSync(state, JSON.stringify(euicc.exportState(), null, 2) + '\n', { mode: 0o600 });
      const want = t1 ? sc.SCARD_PROTOCOL_T1 : sc.SCARD_PROTOCOL_T0;
      const other = t1 ? sc.SCARD_PROTOCOL_T0 : sc.SCARD_PROTOCOL_T1;
      /** One PC/SC session: the answers, as hex. */
      const session = async (): Promise<{ protocol: number; answers: string[] }> => {
        await waitForCard(READER, 20_000, t1 ? ATR_T1 : ATR_T0);
        const ctx = new sc.Context();
        try {
          const reader = ctx.listReaders().find((r) => r.name === READER)!;
          // The ATR offers one protocol: the other one is refused.
          await expect(reader.connect(sc.SCARD_SHARE_SHARED, other)).rejects.toThrow();
          const card = await reader.connect(sc.SCARD_SHARE_SHARED, want);
          try {
            const answers: string[] = [];
            for (const apdu of [SELECT_ISD_R, GET_EID]) {
              answers.push(toHex(await card.transmit(Buffer.from(apdu))));
              // T=0: GET RESPONSE fetches what a 61xx announced (for GetEID only: it is read).
              const last = answers.at(-1)!;
              if (apdu === GET_EID && last.startsWith('61'))
                answers.push(
                  toHex(await card.transmit(Buffer.from(fromHex(`00C00000${last.slice(2)}`)))),
                );
            }
            return { protocol: card.protocol, answers };
          } finally {
            card.disconnect(sc.SCARD_LEAVE_CARD);
          }
        } finally {
          ctx.close();
        }
      };
      const served = await serveEuicc({ state, reader: READER, t1 });
      try {
        // Other tests share this pcscd: a PC/SC error (a reader event at the wrong moment) is
        // retried with a new session, at most twice; wrong answers are not.
        let result: { protocol: number; answers: string[] } | undefined;
        for (let attempt = 1; result === undefined; attempt++) {
          try {
            result = await session();
          } catch (e) {
            // The native binding rejects with plain Errors ("Communication error", ...).
            if (attempt >= 3 || !(e instanceof Error) || e.name !== 'Error') throw e;
          }
        }
        expect(result.protocol).toBe(want);
        const eid = `BF3E125A10${euicc.eid}9000`;
        if (t1) {
          // T=1: the data comes with the answer.
          expect(result.answers).toEqual([expect.stringMatching(/^6F.*9000$/), eid]);
        } else {
          // T=0: 61xx, and GET RESPONSE fetches the data.
          expect(result.answers).toEqual([expect.stringMatching(/^61[0-9A-F]{2}$/), '6115', eid]);
        }
      } finally {
        await served.stop();
      }
    },
    60_000,
  );
});
