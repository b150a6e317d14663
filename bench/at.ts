/**
 * AT-link rows of the benchmark: a 100 KB download from the local SM-DP+ (in process, real HTTP
 * on 127.0.0.1) into the software eUICC behind the fake modem (AT+CCHO/AT+CGLA over a fake Web
 * Serial port), at 120-byte STORE DATA blocks and at the size the transport probes (255). The
 * modem counts 50 ms per command on a simulated clock: nothing is slept, so the simulated time is
 * what the download would take on a modem that needs 50 ms per AT command.
 */
import { createTestIdentity, SoftwareEuicc } from '../src/euicc/index.ts';
import { startLocalServices } from '../src/server/local-services.ts';
import type { LocalServices } from '../src/server/local-services.ts';
import { mapBlockMemory, openAtTransport } from '../src/transport/webserial-at/at-transport.ts';
import { createFakeModem } from '../tests/fakes/serial/fake-at-modem.ts';
import { table } from './cpu.ts';
import { downloadBenchProfile } from './download.ts';

/** Simulated time the fake modem takes per AT command. */
export const AT_MS_PER_COMMAND = 50;

export interface AtRow {
  scenario: string;
  /** STORE DATA block size used. */
  block: number;
  /** AT command lines sent (AT, ATE0, CCHO, probe, CGLA, CCHC...). */
  atCommands: number;
  /** APDUs that reached the eUICC. */
  apdus: number;
  /** STORE DATA commands among them. */
  storeData: number;
  /** atCommands x 50 ms, simulated. */
  simulatedMs: number;
  wallMs: number;
}

function freshEuicc(services: LocalServices, n: number): SoftwareEuicc {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  return SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `bench-at-${n}`, ci: pki.ci }),
  });
}

async function downloadOverAt(
  services: LocalServices,
  euicc: SoftwareEuicc,
  probe: boolean,
): Promise<AtRow> {
  const { port, modem } = createFakeModem({
    card: (apdu) => euicc.transmit(apdu),
    perCommandMs: AT_MS_PER_COMMAND,
  });
  const transport = await openAtTransport(port, {
    probeStoreDataBlock: probe,
    blockMemory: mapBlockMemory(),
    deviceId: 'bench-modem',
  });
  const block = transport.maxStoreDataBlock;
  const start = performance.now();
  await downloadBenchProfile(services, transport);
  return {
    scenario: `AT download 100 KB, ${probe ? 'probed' : 'default'} block`,
    block,
    atCommands: modem.log.length,
    apdus: modem.cardLog.length,
    storeData: modem.cardLog.filter((a) => a.slice(2, 4) === 'E2').length,
    simulatedMs: modem.simulatedMs,
    wallMs: performance.now() - start,
  };
}

/** The two AT rows: 120-byte blocks, then the probed size. */
export async function runAtBenchmark(): Promise<AtRow[]> {
  const services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  try {
    return [
      await downloadOverAt(services, freshEuicc(services, 0), false),
      await downloadOverAt(services, freshEuicc(services, 1), true),
    ];
  } finally {
    await services.close();
  }
}

export function formatAtTable(rows: readonly AtRow[]): string {
  const head = [
    'scenario',
    'block',
    'AT commands',
    'APDUs',
    'STORE DATA',
    `simulated s (${AT_MS_PER_COMMAND} ms/cmd)`,
    'wall ms',
  ];
  const body = rows.map((r) => [
    r.scenario,
    String(r.block),
    String(r.atCommands),
    String(r.apdus),
    String(r.storeData),
    (r.simulatedMs / 1000).toFixed(1),
    r.wallMs.toFixed(0),
  ]);
  return table(head, body);
}

/** The AT rows as printed by `npm run bench`. */
export async function atBenchmarkReport(): Promise<string> {
  return formatAtTable(await runAtBenchmark());
}

if (process.argv[1]?.endsWith('at.ts')) process.stdout.write(`${await atBenchmarkReport()}\n`);
