/**
 * state: mutated eUICC state files (the exported JSON of a card with a profile and a pending
 * notification, and of a fresh card), edited as JSON values and as raw bytes (invalid UTF-8
 * included), through SoftwareEuicc.fromState and through the CLI's loader (a temp file).
 * Each must either refuse with its typed error (EuiccStateError; CliInputError for the CLI)
 * or give a card that answers GetProfilesInfo, GetEUICCInfo2 and ListNotification without 6F00.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EuiccStateError, type SoftwareEuicc } from '../../src/euicc/index.ts';
import { CliInputError } from '../../src/server/cli/json.ts';
import { loadEuicc } from '../../src/server/cli/stack.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { mutateBytes, mutateJsonText } from '../mutate.ts';
import { loadCorpus, makeEuicc } from '../corpus.ts';

/** SELECT ISD-R on the basic channel (SGP.22 v2.2.2 §2.2.3 AID), with FCI. */
const SELECT_ISD_R = Buffer.from('00A4040010A0000005591010FFFFFFFF890000010000', 'hex');

/** ES10 requests on STORE DATA (SGP.22 v2.2.2 §5.7.15 GetProfilesInfo, §5.7.8 GetEUICCInfo, §5.7.9 ListNotification). */
const ES10_CHECKS: readonly { name: string; data: string }[] = [
  { name: 'GetProfilesInfo', data: 'BF2D00' },
  { name: 'GetEUICCInfo2', data: 'BF2200' },
  { name: 'ListNotification', data: 'BF2800' },
];

function storeData(hex: string): Uint8Array {
  const data = Buffer.from(hex, 'hex');
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x80, 0xe2, 0x91, 0x00, data.length]), data, Buffer.of(0)]),
  );
}

function sw(r: Uint8Array): number {
  return r.length < 2 ? -1 : (r[r.length - 2]! << 8) | r[r.length - 1]!;
}

/** The card's answers to the three ES10 reads; a Failure when one is 6F00 or the card throws. */
function checkCard(card: SoftwareEuicc, via: string): Failure | undefined {
  try {
    const select = card.transmit(SELECT_ISD_R);
    if (sw(select) === 0x6f00) return { kind: 'invariant', detail: `${via}: SELECT ISD-R 6F00` };
    for (const c of ES10_CHECKS) {
      const r = card.transmit(storeData(c.data));
      if (sw(r) === 0x6f00) return { kind: 'invariant', detail: `${via}: ${c.name} answered 6F00` };
      if (sw(r) < 0) return { kind: 'invariant', detail: `${via}: ${c.name} without SW` };
    }
  } catch (e) {
    return { kind: 'crash', detail: `${via}: transmit threw ${describeError(e)}` };
  }
  return undefined;
}

export const stateTarget: FuzzTarget = {
  name: 'state',
  description: 'mutated state files through fromState and the CLI loader',
  budgetMs: 5000,
  async setup(): Promise<TargetInstance<unknown>> {
    const corpus = await loadCorpus();
    const seeds = [corpus.finalState, corpus.initialState];
    const seedTexts = seeds.map((s) => new TextEncoder().encode(JSON.stringify(s, null, 2)));
    const dir = mkdtempSync(join(tmpdir(), 'weblpa-fuzz-state-'));
    const file = join(dir, 'card.json');
    const instance: TargetInstance<Uint8Array> = {
      generate(rng) {
        const i = rng.chance(0.75) ? 0 : 1;
        if (rng.chance(0.8)) return mutateJsonText(rng, seeds[i], seeds);
        return mutateBytes(rng, seedTexts[i]!, seedTexts, 4);
      },
      encode: (input) => input,
      execute(input): Promise<Failure | undefined> {
        // fromState gets the parsed JSON, when the text is JSON at all.
        let parsed: unknown;
        let isJson = true;
        try {
          parsed = JSON.parse(new TextDecoder().decode(input)) as unknown;
        } catch {
          isJson = false;
        }
        if (isJson) {
          let card: SoftwareEuicc | undefined;
          try {
            card = makeEuicc(parsed);
          } catch (e) {
            if (!(e instanceof EuiccStateError))
              return Promise.resolve({ kind: 'crash', detail: `fromState: ${describeError(e)}` });
          }
          if (card) {
            const f = checkCard(card, 'fromState');
            if (f) return Promise.resolve(f);
          }
        }
        writeFileSync(file, input);
        let loaded: SoftwareEuicc | undefined;
        try {
          loaded = loadEuicc(file);
        } catch (e) {
          if (!(e instanceof CliInputError))
            return Promise.resolve({ kind: 'crash', detail: `loadEuicc: ${describeError(e)}` });
        }
        return Promise.resolve(loaded ? checkCard(loaded, 'loadEuicc') : undefined);
      },
      close() {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
    return instance;
  },
};
