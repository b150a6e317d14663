/**
 * The download every transport benchmark times: the 100 KB test profile from the local SM-DP+,
 * through an LPA over the transport under test.
 */
import { lpaOver, makeEs9p } from '../src/server/cli/stack.ts';
import type { Lpa } from '../src/lpa/index.ts';
import type { LocalServices } from '../src/server/local-services.ts';
import type { Transport } from '../src/transport/transport.ts';

/**
 * Downloads the 100 KB profile over `transport` (the SM-DP+ and SM-DS addresses both lead to
 * the local SM-DP+), then closes the LPA stack and the transport.
 */
export async function downloadBenchProfile(
  services: LocalServices,
  transport: Transport,
): Promise<Awaited<ReturnType<Lpa['download']>>> {
  const { es9p, es11 } = makeEs9p({
    map: { [services.smdpAddress]: services.smdpUrl, [services.smdsAddress]: services.smdpUrl },
  });
  const stack = lpaOver(transport, { es9p, es11 });
  try {
    return await stack.lpa.download({
      activationCode: `LPA:1$${services.smdpAddress}$WEBLPA-BENCH-100K`,
      confirm: () => Promise.resolve(true),
    });
  } finally {
    await stack.close();
  }
}
