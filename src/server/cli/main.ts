/**
 * The WebLPA command line (Node): the same LPA core as the app, driving the software eUICC
 * kept in a state file, or the eUICC in a PC/SC reader (`--reader`). Output is JSON on stdout;
 * failures print `{error: {code, message, ..., explanation?}}` and exit non-zero (1 for
 * operation failures, 2 for a bad command line). The explanation (title, detail, advice, codes)
 * comes from the same texts as the app's error panel, in English, and is printed on stderr too.
 *
 *   npm run lpa -- euicc create --state card.json [--curve P-256|brainpoolP256r1] [--seed s]
 *   npm run lpa -- --state card.json --map testsmdpplus1.example.com=http://127.0.0.1:8000 \
 *       profile download --ac 'LPA:1$testsmdpplus1.example.com$WEBLPA-PLAIN' --yes
 *   npm run lpa -- reader list
 *   npm run lpa -- --reader 0 chip info
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { batchCommand, isIncompleteBatch } from './batch.ts';
import { run } from './commands.ts';
import { errorJson, explanationLines, explanationOf, toJson, UsageError } from './json.ts';

const USAGE = `usage: lpa [global options] <command> [options]

global options:
  --state <file>              software eUICC state file
  --reader <name|index>       the eUICC in this PC/SC reader instead (see "reader list"; a
                              unique part of the name will do)
  --exclusive                 with --reader: hold the card exclusively while the command runs
  --journal-dir <dir>         with --reader: where interrupted downloads are kept, one file per
                              EID (default $XDG_STATE_HOME/weblpa or ~/.local/state/weblpa)
  --relay <url>               send ES9+/ES11 through this relay
  --map <addr>=<url>          reach an SM-DP+/SM-DS address at a base URL (repeatable)
  --imei <digits>             IMEI for DeviceInfo (TAC = first 8 digits)
  --tac <8 digits>            TAC for DeviceInfo (default 35290611)
  --no-notify                 do not send notifications after profile operations
  --timeout <ms>              HTTP timeout
  --lock-timeout <ms>         wait this long for another process using the state file
                              (default 30000); the state file (with --reader: the eUICC's
                              journal) is locked for each command

commands:
  reader list                           PC/SC readers: index, name, card, ATR, protocols
  euicc create [--curve P-256|brainpoolP256r1] [--seed s] [--eid e] [--own-ci]
               [--default-dp-address fqdn]
  euicc import --euicc-cert f --eum-cert f --euicc-key f --ci f [--ci f ...]
  chip info
  chip set-default-dp <fqdn>            ("" clears it)
  chip reset [--profiles] [--test-profiles] [--default-dp]
  profile list
  profile enable|disable <iccid|isdp-aid> [--refresh]
  profile delete <iccid|isdp-aid>
  profile nickname <iccid> <nickname>
  profile download [--ac code | --smdp fqdn [--matching-id id]] [--confirmation-code c] [--yes]
  notification list
  notification process [--seq n ...]
  notification remove <seq>
  discovery [--smds fqdn] [--download --yes]
  batch run <plan.csv|plan.json> [--report out] [--parallel n]
                                        one download per card over many cards: --state f
                                        (repeatable) or --reader all / --reader r (repeatable);
                                        the report goes to out.json and out.csv (default beside
                                        the plan) as rows finish; a rerun resumes it (see
                                        docs/batch.md); exit 1 unless every row ended ok

long-running (until Ctrl-C / SIGTERM):
  euicc serve --vpcd [host:port] [--t1]  serve the --state eUICC to vsmartcard's vpcd, so
                                         pcscd shows it as a card (default localhost:35963)
  bridge [--port p] [--host h] [--origin o ...]
                                         the local card bridge for the app

Every card command runs with --state <file> or --reader <name|index>; euicc create, import
and serve need --state.
`;

/**
 * `--vpcd` takes an optional value: given alone (last, or before another option) it becomes
 * `--vpcd=` so parseArgs sees an empty value, which means the default address.
 */
export function optionalValues(argv: readonly string[]): string[] {
  return argv.map((a, i) => {
    const next = argv[i + 1];
    return a === '--vpcd' && (next === undefined || next.startsWith('-')) ? '--vpcd=' : a;
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: optionalValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        // Repeatable for batch run (many cards); other commands use the last one.
        state: { type: 'string', multiple: true },
        reader: { type: 'string', multiple: true },
        report: { type: 'string' },
        parallel: { type: 'string' },
        exclusive: { type: 'boolean' },
        'journal-dir': { type: 'string' },
        vpcd: { type: 'string' },
        t1: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        origin: { type: 'string', multiple: true },
        relay: { type: 'string' },
        map: { type: 'string', multiple: true },
        imei: { type: 'string' },
        tac: { type: 'string' },
        'no-notify': { type: 'boolean' },
        timeout: { type: 'string' },
        'lock-timeout': { type: 'string' },
        curve: { type: 'string' },
        seed: { type: 'string' },
        eid: { type: 'string' },
        'own-ci': { type: 'boolean' },
        'default-dp': { type: 'boolean' },
        'default-dp-address': { type: 'string' },
        'euicc-cert': { type: 'string' },
        'eum-cert': { type: 'string' },
        'euicc-key': { type: 'string' },
        ci: { type: 'string', multiple: true },
        profiles: { type: 'boolean' },
        'test-profiles': { type: 'boolean' },
        refresh: { type: 'boolean' },
        ac: { type: 'string' },
        smdp: { type: 'string' },
        'matching-id': { type: 'string' },
        'confirmation-code': { type: 'string' },
        yes: { type: 'boolean' },
        seq: { type: 'string', multiple: true },
        smds: { type: 'string' },
        download: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs rejects unknown options and missing values: a command-line mistake (exit 2).
    const usage = new UsageError(e instanceof Error ? e.message : String(e));
    process.stdout.write(toJson(errorJson(usage, { usage: USAGE })) + '\n');
    return 2;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    process.stderr.write(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  try {
    const log = (line: string): void => {
      process.stderr.write(line + '\n');
    };
    const { state, reader, ...rest } = parsed.values;
    const out =
      parsed.positionals[0] === 'batch'
        ? await batchCommand(parsed.positionals, parsed.values, log)
        : await run(
            parsed.positionals,
            { ...rest, state: state?.at(-1), reader: reader?.at(-1) },
            log,
          );
    process.stdout.write(toJson(out) + '\n');
    return isIncompleteBatch(out) ? 1 : 0;
  } catch (e) {
    const explanation = explanationOf(e);
    const json = errorJson(e, explanation !== undefined ? { explanation } : {});
    if (explanation !== undefined) {
      process.stderr.write(explanationLines(explanation).join('\n') + '\n');
    }
    process.stdout.write(toJson(json) + '\n');
    return json.error.code === 'usage' ? 2 : 1;
  }
}

// Run when executed directly (tsx src/server/cli/main.ts ...), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
