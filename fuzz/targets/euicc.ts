/**
 * euicc: the software eUICC's transmit() with mutated APDUs. Half the cases replay a prefix of
 * the recorded session (so the card is mid-download, mid-STORE DATA chain, or with a response
 * pending) and then send mutated APDUs; the rest send mutated APDUs to a fresh card.
 * Properties: transmit never throws and always answers at least SW1 SW2; no 6F00 (the card's
 * answer when an internal exception escaped); afterwards the exported state still validates
 * and loads again.
 */
import { validateState } from '../../src/euicc/state.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { concatBytes, mutateBytes } from '../mutate.ts';
import type { Prng } from '../prng.ts';
import { loadCorpus, makeEuicc, type Corpus } from '../corpus.ts';

interface EuiccInput {
  fromFinal: boolean;
  /** Recorded APDUs replayed first. */
  prefix: number;
  apdus: Uint8Array[];
  reload: boolean;
}

/** Input bytes: flags, prefix length (2 bytes), then each APDU as 2-byte length + bytes. */
function encode(input: EuiccInput): Uint8Array {
  const parts: Uint8Array[] = [
    Uint8Array.of(input.fromFinal ? 1 : 0, input.prefix >> 8, input.prefix & 0xff),
  ];
  for (const a of input.apdus) parts.push(Uint8Array.of(a.length >> 8, a.length & 0xff), a);
  return concatBytes(...parts);
}

function generate(corpus: Corpus, rng: Prng): EuiccInput {
  const all = corpus.apdus;
  if (rng.chance(0.55)) {
    const k = rng.int(all.length);
    const apdus: Uint8Array[] = [];
    const n = rng.range(1, 4);
    for (let i = 0; i < n && k + i < all.length; i++) {
      const original = all[k + i]!;
      apdus.push(
        i === 0 || rng.chance(0.3)
          ? mutateBytes(rng, original, all, 3, rng.chance(0.5) ? 5 : 0)
          : original,
      );
    }
    return { fromFinal: false, prefix: k, apdus, reload: rng.chance(0.2) };
  }
  const apdus: Uint8Array[] = [];
  const n = rng.range(1, 6);
  for (let i = 0; i < n; i++) {
    apdus.push(
      rng.chance(0.1)
        ? rng.bytes(rng.smallInt(300))
        : mutateBytes(rng, rng.pick(all), all, 3, rng.chance(0.5) ? 4 : 0),
    );
  }
  return { fromFinal: rng.chance(0.5), prefix: 0, apdus, reload: rng.chance(0.2) };
}

export const euiccTarget: FuzzTarget = {
  name: 'euicc',
  description: 'software eUICC transmit() with mutated APDUs; state stays valid',
  budgetMs: 5000,
  async setup(): Promise<TargetInstance<unknown>> {
    const corpus = await loadCorpus();
    const instance: TargetInstance<EuiccInput> = {
      generate: (rng) => generate(corpus, rng),
      encode,
      execute(input): Promise<Failure | undefined> {
        const card = makeEuicc(input.fromFinal ? corpus.finalState : corpus.initialState);
        for (let i = 0; i < input.prefix; i++) card.transmit(corpus.apdus[i]!);
        for (const [i, apdu] of input.apdus.entries()) {
          let r: Uint8Array;
          try {
            r = card.transmit(apdu);
          } catch (e) {
            return Promise.resolve({ kind: 'crash', detail: `APDU ${i}: ${describeError(e)}` });
          }
          if (!(r instanceof Uint8Array) || r.length < 2)
            return Promise.resolve({ kind: 'invariant', detail: `APDU ${i}: no status word` });
          if (r[r.length - 2] === 0x6f && r[r.length - 1] === 0x00)
            return Promise.resolve({
              kind: 'invariant',
              detail: `APDU ${i}: 6F00 (an exception escaped inside the card)`,
            });
        }
        try {
          const state = card.exportState();
          validateState(JSON.parse(JSON.stringify(state)) as unknown);
          if (input.reload) makeEuicc(JSON.parse(JSON.stringify(state)) as unknown);
        } catch (e) {
          return Promise.resolve({
            kind: 'invariant',
            detail: `state after the APDUs: ${describeError(e)}`,
          });
        }
        return Promise.resolve(undefined);
      },
      close: () => Promise.resolve(),
    };
    return instance;
  },
};
