/**
 * CCID speed benchmark: the 100 KB profile download from the local SM-DP+ (in process, real HTTP
 * on 127.0.0.1) into the software eUICC through fake TPDU-level readers built from real
 * descriptors (tests/fixtures/ccid, derived from libccid's reader dumps). The fake honours the
 * negotiated speed and counts the time the bytes take on the card's line at the bit rate in
 * effect (12 etu per character; simulated, not slept). "before" keeps the default rate (F 372,
 * D 1, no PPS), "after" negotiates as the driver does (PPS by the host or the reader).
 *
 *   npx tsx bench/ccid.ts
 */
import { readFileSync } from 'node:fs';
import { createTestIdentity, SoftwareEuicc } from '../src/euicc/index.ts';
import { startLocalServices, type LocalServices } from '../src/server/local-services.ts';
import { CcidReader } from '../src/transport/webusb-ccid/index.ts';
import { fakeReaderFor, type ReaderModel } from '../tests/fakes/usb/reader-model.ts';
import { table } from './cpu.ts';
import { downloadBenchProfile } from './download.ts';

export interface CcidSpeedRow {
  reader: string;
  mode: 'before' | 'after';
  negotiation: string;
  bitRate: number;
  /** Bytes to and from the card during the download. */
  lineBytes: number;
  /** Simulated time on the card's line for the download, seconds. */
  lineSeconds: number;
}

const READERS = ['Feitian_SCR301.json', 'ACS_ACR39U_ICC_Reader.json', 'GemCorePOSPro.json'];

function model(file: string): ReaderModel {
  const url = new URL(`../tests/fixtures/ccid/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as ReaderModel;
}

async function downloadThrough(
  services: LocalServices,
  m: ReaderModel,
  negotiateSpeed: boolean,
  n: number,
): Promise<CcidSpeedRow> {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  const euicc = SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `bench-ccid-${n}`, ci: pki.ci }),
  });
  const { usb, device } = fakeReaderFor(m, (a) => euicc.transmit(a));
  const reader = await CcidReader.open(device, { events: usb, negotiateSpeed });
  const t = await reader.openSlot(0, { closeReader: true });
  const speed = t.session.speed!;
  const before = device.simulatedSeconds;
  const cardBytes = () =>
    device.log
      .filter((l) => l.startsWith('OUT 6F') || l.startsWith('IN 80'))
      .reduce((sum, l) => sum + (l.length - 3 - 20) / 2, 0);
  const bytesBefore = cardBytes();
  await downloadBenchProfile(services, t);
  return {
    reader: m.reader,
    mode: negotiateSpeed ? 'after' : 'before',
    negotiation: speed.negotiation,
    bitRate: speed.bitRate,
    lineBytes: cardBytes() - bytesBefore,
    lineSeconds: device.simulatedSeconds - before,
  };
}

/** Runs the downloads, before and after speed negotiation, per reader. */
export async function runCcidSpeedBenchmark(): Promise<CcidSpeedRow[]> {
  const services = await startLocalServices({ smdpPort: 0, relayPort: 0, seed: 'bench-ccid' });
  const rows: CcidSpeedRow[] = [];
  let n = 0;
  try {
    for (const file of READERS) {
      const m = model(file);
      for (const negotiate of [false, true])
        rows.push(await downloadThrough(services, m, negotiate, n++));
    }
  } finally {
    await services.close();
  }
  return rows;
}

export function formatCcidSpeed(rows: readonly CcidSpeedRow[]): string {
  const head = [
    'CCID TPDU reader (100 KB download)',
    'mode',
    'speed set by',
    'bit rate',
    'line bytes',
    'line time',
  ];
  const body = rows.map((r) => [
    r.reader,
    r.mode,
    r.negotiation,
    `${r.bitRate} bps`,
    String(r.lineBytes),
    `${r.lineSeconds.toFixed(2)} s`,
  ]);
  return table(head, body);
}

/** The report bench/run.ts prints. */
export async function ccidSpeedReport(): Promise<string> {
  return formatCcidSpeed(await runCcidSpeedBenchmark());
}

if (process.argv[1]?.endsWith('ccid.ts')) process.stdout.write((await ccidSpeedReport()) + '\n');
