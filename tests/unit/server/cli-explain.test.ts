// The CLI explains a failed command with the app's own English texts (src/i18n/explain.ts): the
// same title, detail and advice the error panel shows, plus the codes for experts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { en } from '../../../src/i18n/en/index.ts';
import { toLpaError } from '../../../src/lpa/index.ts';
import { explanationLines, explanationOf } from '../../../src/server/cli/json.ts';
import { startLocalServices, type LocalServices } from '../../../src/server/local-services.ts';
import { AtNoAnswerError } from '../../../src/transport/webserial-at/errors.ts';
import { describeError } from '../../../src/ui/state/errors.ts';
import { runCli } from '../cli-helpers.ts';

// The PC/SC binding the CLI loads: a fake whose pcscd is not running.
vi.mock('smartcard', async () => {
  const { FakePcsc } = await import('../pcsc/fake-binding.ts');
  const fake = new FakePcsc();
  fake.serviceRunning = false;
  // No named Context: the binding is the default export, as the CommonJS package gives it.
  return { default: fake, Context: undefined };
});

interface Explained {
  title: string;
  detail: string;
  advice: string;
  codes: string[];
}

function explanation(out: Record<string, unknown>): Explained {
  return (out['error'] as { explanation: Explained }).explanation;
}

let services: LocalServices;
let dir: string;
beforeAll(async () => {
  services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-cli-explain-'));
}, 60_000);
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI explains a failed command as the app does, in English', () => {
  it('PC/SC service not running: the app’s advice, in the JSON and on stderr', async () => {
    const r = await runCli('reader', 'list');
    expect(r.code).toBe(1);
    const text = en.errors.smartCardAccess;
    // The JSON keeps its fields and gains the explanation.
    expect(r.out['error']).toMatchObject({
      code: 'transport',
      reason: 'noService',
      problem: 'noService',
      responseCode: 'no-service',
      message: expect.any(String) as unknown,
    });
    expect(explanation(r.out)).toEqual({
      title: text.title,
      detail: text.reasons.noService.detail,
      advice: text.reasons.noService.advice,
      codes: ['SmartCardAccessError noService (no-service)'],
    });
    expect(r.err).toContain(`error: ${text.title}`);
    expect(r.err).toContain(`what to do: ${text.reasons.noService.advice}`);
    // The advice is said once, by the explanation: the technical message says what failed.
    expect(text.reasons.noService.advice).toContain('sudo systemctl start pcscd');
    expect((r.out['error'] as { message: string }).message).toBe(
      'The PC/SC service (pcscd) is not running.',
    );
  });

  it('SM-DP+ 8.2.6/3.8: the app’s advice for an unknown or used activation code', async () => {
    const state = join(dir, 'card.json');
    expect((await runCli('euicc', 'create', '--state', state, '--seed', 'explain-1')).code).toBe(0);
    const r = await runCli(
      '--state',
      state,
      '--map',
      `${services.smdpAddress}=${services.smdpUrl}`,
      'profile',
      'download',
      '--ac',
      `LPA:1$${services.smdpAddress}$NO-SUCH-ORDER`,
      '--yes',
    );
    expect(r.code).toBe(1);
    expect(r.out['error']).toMatchObject({ code: 'es9p', subjectCode: '8.2.6', reasonCode: '3.8' });
    const known = en.errors.es9p.codes['8.2.6/3.8'];
    expect(known).toBeDefined();
    const x = explanation(r.out);
    expect(x).toMatchObject({
      title: en.errors.es9p.title,
      detail: known?.detail,
      advice: known?.advice,
    });
    expect(x.codes).toContain('Es9pError 8.2.6/3.8');
    expect(r.err).toContain(`what to do: ${known?.advice ?? '?'}`);
  });

  it('modem does not answer: the same words as the app’s error panel', () => {
    const error = toLpaError(new AtNoAnswerError('AT'));
    expect(error.message).toBe('The modem does not answer AT on this port.');
    const x = explanationOf(error);
    const app = describeError(error);
    expect(x).toEqual({
      title: en.errors.atNoAnswer.title,
      detail: en.errors.atNoAnswer.detail,
      advice: en.errors.atNoAnswer.advice,
      codes: app.codes,
    });
    expect([app.title, app.detail, app.advice]).toEqual([x?.title, x?.detail, x?.advice]);
    expect(x && explanationLines(x)).toEqual([
      `error: ${en.errors.atNoAnswer.title}`,
      `  ${en.errors.atNoAnswer.detail}`,
      `  what to do: ${en.errors.atNoAnswer.advice}`,
      `  codes: ${app.codes.join('; ')}`,
    ]);
  });

  it('a mistake in the command line needs no explanation', async () => {
    const r = await runCli('chip', 'info');
    expect(r.code).toBe(2);
    expect(r.out['error']).not.toHaveProperty('explanation');
    expect(r.err).not.toContain('error:');
  });
});
