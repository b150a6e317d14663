/**
 * Starts the local test services beside the app (`npm start`, tests, benchmarks):
 * - the test SM-DP+ and SM-DS on one HTTP(S) server (both addresses map to its URL),
 * - the ES9+ relay (for real SM-DP+s; browsers on this machine may use it).
 * Returns their URLs and the demo activation codes from the catalogue.
 */
import { fileURLToPath } from 'node:url';
import type { Credential } from '../rsp/index.ts';
import { isLoopbackOrigin, type OriginPolicy } from './common/cors.ts';
import { startRelay } from './relay/node.ts';
import { mergeOrders, type Order } from './smdp/catalogue.ts';
import { SmdpCore, type CoreState } from './smdp/core.ts';
import { createServerPki, type CiCredentials } from './smdp/credentials.ts';
import { loadCatalogueFile, loadProfilesDir, startSmdpServer } from './smdp/node.ts';

export const DEFAULT_SMDP_ADDRESS = 'testsmdpplus1.example.com';
export const DEFAULT_SMDS_ADDRESS = 'testsmds1.example.com';
/** Test OIDs under 2.999 (ITU-T X.660 example arc), as in the project's test PKI. */
export const DEFAULT_SMDP_OID = '2.999.10';
export const DEFAULT_SMDS_OID = '2.999.11';
export const DEFAULT_CATALOGUE = fileURLToPath(
  new URL('../../catalogue/demo.json', import.meta.url),
);

export interface LocalServicesOptions {
  host?: string;
  /** Default 8000; when busy an ephemeral port is used. 0 = ephemeral. */
  smdpPort?: number;
  /** Default 8001; when busy an ephemeral port is used. 0 = ephemeral. */
  relayPort?: number;
  /** A catalogue file path or orders. Default catalogue/demo.json. */
  catalogue?: string | readonly Order[];
  /**
   * A folder of profile packages (.der) served beside the catalogue, as they are, one order per
   * file named after it (see matchingIdForFile in smdp/catalogue.ts). One-time orders unless
   * `profilesReusable`.
   */
  profilesDir?: string;
  profilesReusable?: boolean;
  /** Serve the SM-DP+ over HTTPS with its DPtls certificate (P-256 CI). */
  https?: boolean;
  smdpAddress?: string;
  smdsAddress?: string;
  /** Issue the server credentials under these CIs (e.g. the CI a test eUICC trusts). */
  cis?: readonly Credential[];
  /** Deterministic server PKI (default 'weblpa-local-services'; '' = random). */
  seed?: string;
  /** Origins allowed to use the relay. Default: pages served from this machine. */
  relayOrigins?: OriginPolicy;
  /** Extra CA certificates (PEM) the relay trusts for upstream TLS. */
  relayExtraCa?: readonly string[];
  /** The relay trusts the GSMA RSP2 Root CI1 for upstream TLS. Default true. */
  relayTrustGsmaCi?: boolean;
  /**
   * Serve the SM-DP+'s admin endpoints (/state with every matching ID, /admin/events,
   * /admin/orders/reset-cc-lock). Default true for local demos; they stay same-origin and
   * loopback only, so other web pages cannot read or call them.
   */
  admin?: boolean;
  onLog?: (line: string) => void;
}

export interface LocalServices {
  smdpUrl: string;
  smdpAddress: string;
  smdsAddress: string;
  relayUrl: string;
  activationCodes: { label: string; code: string }[];
  /** The orders of `profilesDir`: file, matching ID, the package's ICCID and activation code. */
  profiles: {
    file: string;
    matchingId: string;
    iccid: string;
    iccidEncoding: 'swapped' | 'plain';
    reusable: boolean;
    code: string;
  }[];
  /** The in-process core (tests may add orders or events directly). */
  core: SmdpCore;
  /** Server credentials per CI; `ci.certificate` is what an eUICC must trust. */
  pki: CiCredentials[];
  /** Snapshot of sessions, orders, notifications and events (same as GET /state). */
  state(): CoreState;
  close(): Promise<void>;
}

function isAddressInUse(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'EADDRINUSE';
}

async function withPortFallback<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (e) {
    if (port !== 0 && isAddressInUse(e)) return start(0);
    throw e;
  }
}

/** The activation code of an order (SGP.22 v2.2.2 §4.1): `LPA:1$addr$token[$$1]`. */
export function activationCodeFor(smdpAddress: string, order: Order): string {
  return `LPA:1$${smdpAddress}$${order.matchingId}${order.confirmationCode !== undefined ? '$$1' : ''}`;
}

export async function startLocalServices(
  options: LocalServicesOptions = {},
): Promise<LocalServices> {
  const host = options.host ?? '127.0.0.1';
  const smdpAddress = options.smdpAddress ?? DEFAULT_SMDP_ADDRESS;
  const smdsAddress = options.smdsAddress ?? DEFAULT_SMDS_ADDRESS;
  const seed = options.seed ?? 'weblpa-local-services';
  const catalogueOrders =
    typeof options.catalogue === 'string' || options.catalogue === undefined
      ? loadCatalogueFile(options.catalogue ?? DEFAULT_CATALOGUE)
      : [...options.catalogue];
  const folderOrders =
    options.profilesDir !== undefined
      ? loadProfilesDir(options.profilesDir, { reusable: options.profilesReusable === true })
      : [];
  const orders = mergeOrders(catalogueOrders, folderOrders);
  const pki = createServerPki({
    smdpAddress,
    smdpOid: DEFAULT_SMDP_OID,
    smdsAddress,
    smdsOid: DEFAULT_SMDS_OID,
    ...(options.cis ? { cis: options.cis } : {}),
    ...(seed !== '' ? { seed } : {}),
  });
  const core = new SmdpCore({
    smdpAddress,
    smdpOid: DEFAULT_SMDP_OID,
    smdsAddress,
    pki,
    orders,
  });
  const tls = options.https ? pki.find((p) => p.ci.key.curve === 'P-256') : undefined;
  if (options.https && !tls) throw new Error('HTTPS needs a P-256 CI for the DPtls certificate');
  const smdp = await withPortFallback(options.smdpPort ?? 8000, (port) =>
    startSmdpServer({
      core,
      host,
      port,
      admin: options.admin ?? true,
      ...(tls ? { tls } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
    }),
  );
  let relay;
  try {
    relay = await withPortFallback(options.relayPort ?? 8001, (port) =>
      startRelay({
        host,
        port,
        allowedOrigins: options.relayOrigins ?? isLoopbackOrigin,
        extraCa: options.relayExtraCa ?? [],
        ...(options.relayTrustGsmaCi !== undefined
          ? { trustGsmaCi: options.relayTrustGsmaCi }
          : {}),
        ...(options.onLog
          ? {
              onLog: (e) => {
                options.onLog?.(`relay ${e.fn} ${e.host} -> ${e.status} (${e.durationMs} ms)`);
              },
            }
          : {}),
      }),
    );
  } catch (e) {
    await smdp.close();
    throw e;
  }
  return {
    smdpUrl: smdp.url,
    smdpAddress,
    smdsAddress,
    relayUrl: relay.url,
    activationCodes: orders
      .filter((o) => o.matchingId !== '')
      .map((o) => ({ label: o.label, code: activationCodeFor(smdpAddress, o) })),
    profiles: folderOrders.flatMap((o) =>
      o.profile.kind === 'bytes' && o.profile.iccid
        ? [
            {
              file: o.profile.source ?? o.label,
              matchingId: o.matchingId,
              iccid: o.iccid,
              iccidEncoding: o.profile.iccid.encoding,
              reusable: o.reusable,
              code: activationCodeFor(smdpAddress, o),
            },
          ]
        : [],
    ),
    core,
    pki,
    state: () => core.state(),
    close: async () => {
      await Promise.all([smdp.close(), relay.close()]);
    },
  };
}
