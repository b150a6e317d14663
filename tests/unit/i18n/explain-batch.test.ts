// A file given to resume a batch that is not a report, and a report of another plan, are
// explained as such (the CLI and the Batch view share the words), in every language.
import { describe, expect, it } from 'vitest';
import { parsePlan, parseReportJson, runBatch } from '../../../src/batch/index.ts';
import { en, loadMessages, LOCALES } from '../../../src/i18n/index.ts';
import { explain, isKnownError } from '../../../src/i18n/explain.ts';
import { eidOf, FakeCard, slotOf } from '../batch/fakes.ts';

async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

const plan = (id: string) => parsePlan(`activationCode\nLPA:1$smdp.example.com$${id}\n`);

describe('batch report errors explained', () => {
  it('a file that is not a report', async () => {
    const e = await thrown(() => parseReportJson('row,eid\n1,\n'));
    expect(isKnownError(e)).toBe(true);
    expect(explain(e, en)).toMatchObject({
      title: 'Not a batch report',
      codes: ['BatchReportError'],
    });
  });

  it('a report of another plan', async () => {
    const card = new FakeCard(eidOf(1));
    const report = await runBatch({ plan: plan('FIRST'), slots: [slotOf(card)] });
    const e = await thrown(() =>
      runBatch({ plan: plan('OTHER'), slots: [slotOf(card)], previous: report }),
    );
    expect(explain(e, en)).toMatchObject({
      title: 'The report is of another plan',
      codes: ['BatchResumeError'],
    });
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      const words = explain(e, await loadMessages(locale));
      expect(words.title).not.toBe('The report is of another plan');
      expect(words.advice).not.toBe(en.errors.batchResume.advice);
    }
  });
});
