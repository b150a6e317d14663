/**
 * End-to-end world for Node tests: the local SM-DP+/SM-DS over real HTTP on 127.0.0.1
 * (ephemeral ports), a software eUICC issued under the services' test CI, and the LPA over
 * VirtualTransport -> Card -> ISD-R, exactly as the CLI wires it.
 */
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { Lpa } from '../../../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';

export type Curve = 'P-256' | 'brainpoolP256r1';

export function startServices(): Promise<LocalServices> {
  return startLocalServices({ smdpPort: 0, relayPort: 0, seed: 'e2e-node' });
}

export interface World {
  euicc: SoftwareEuicc;
  lpa: Lpa;
  close(): Promise<void>;
}

let counter = 0;

export function makeWorld(
  services: LocalServices,
  options: {
    curve?: Curve;
    fetch?: typeof fetch;
    autoSendNotifications?: boolean;
    eid?: string;
  } = {},
): World {
  const curve = options.curve ?? 'P-256';
  const pki = services.pki.find((p) => p.ci.key.curve === curve);
  if (!pki) throw new Error(`no ${curve} CI in the local services`);
  const identity = createTestIdentity({
    curve,
    seed: `e2e-${curve}-${counter++}`,
    ci: pki.ci,
    ...(options.eid !== undefined ? { eid: options.eid } : {}),
  });
  const euicc = SoftwareEuicc.create({ identity });
  const map = {
    [services.smdpAddress]: services.smdpUrl,
    [services.smdsAddress]: services.smdpUrl,
  };
  const { es9p, es11 } = makeEs9p({ map, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const stack = lpaOver(new VirtualTransport(euicc), {
    es9p,
    es11,
    ...(options.autoSendNotifications !== undefined
      ? { autoSendNotifications: options.autoSendNotifications }
      : {}),
  });
  return { euicc, lpa: stack.lpa, close: () => stack.close() };
}

export const yes = (): Promise<boolean> => Promise.resolve(true);

export function ac(services: LocalServices, matchingId: string, cc = false): string {
  return `LPA:1$${services.smdpAddress}$${matchingId}${cc ? '$$1' : ''}`;
}
