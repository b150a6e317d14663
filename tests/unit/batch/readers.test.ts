/**
 * `batch run --reader all` over PC/SC readers (a fake binding holding software eUICCs) against
 * the local SM-DP+ on 127.0.0.1: every reader with a card is used, the empty one is not; each
 * card's interrupted-download journal goes to --journal-dir.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportJson } from '../../../src/batch/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { batchCommand } from '../../../src/server/cli/batch.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import { ATR_T0, ATR_T1, FakePcsc } from '../pcsc/fake-binding.ts';

let services: LocalServices;
let dir: string;

beforeAll(async () => {
  services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-batch-readers-'));
}, 60_000);

afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('batch run over PC/SC readers', () => {
  it('--reader all uses every reader with a card, one row each', async () => {
    const euiccs = [0, 1].map((i) =>
      createEuicc({
        identity: createTestIdentity({
          curve: 'P-256',
          ci: projectTestCi('P-256'),
          seed: `rdr-${i}`,
        }),
      }),
    );
    const fake = new FakePcsc();
    fake.addReader('Lab Reader 00 00', (apdu) => euiccs[0]!.transmit(apdu), ATR_T0);
    fake.addReader('Lab Reader 00 01');
    fake.addReader('Lab Reader 01 00', (apdu) => euiccs[1]!.transmit(apdu), ATR_T1);
    const plan = join(dir, 'plan.json');
    const code = `LPA:1$${services.smdpAddress}$WEBLPA-REUSABLE`;
    writeFileSync(
      plan,
      JSON.stringify([
        { activationCode: code, eid: euiccs[1]!.eid, enable: true },
        { activationCode: code },
      ]),
    );
    const lines: string[] = [];
    const out = await batchCommand(
      ['batch', 'run', plan],
      {
        reader: ['all'],
        map: [`${services.smdpAddress}=${services.smdpUrl}`],
        'journal-dir': join(dir, 'journals'),
      },
      (l) => lines.push(l),
      { binding: fake },
    );
    expect(out.complete).toBe(true);
    expect(out.summary).toMatchObject({ rows: 2, ok: 2, cards: 2 });
    const report = parseReportJson(readFileSync(join(dir, 'plan.report.json'), 'utf8'));
    expect(report.rows.map((r) => [r.card, r.eid])).toEqual([
      ['reader Lab Reader 01 00', euiccs[1]!.eid],
      ['reader Lab Reader 00 00', euiccs[0]!.eid],
    ]);
    expect(report.rows[0]!.done).toEqual(['download', 'enable']);
    expect(readdirSync(join(dir, 'journals'))).toEqual([]);
    expect(lines).toContain(`card reader Lab Reader 00 00: EID ${euiccs[0]!.eid}`);
  });
});
