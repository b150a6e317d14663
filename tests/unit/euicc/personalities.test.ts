// Every eUICC personality (src/euicc/personality.ts) through the LPA over the virtual transport,
// against the local test SM-DP+ on 127.0.0.1: chip info, list, download, enable, disable and
// delete complete, or the LPA says clearly what happened (SGP.22 v2.2.2 §5.7).
import { describe, expect, it } from 'vitest';
import { IsdR } from '../../../src/apdu/index.ts';
import type { Es10Link } from '../../../src/apdu/index.ts';
import { luhnCheckDigit } from '../../../src/codec/bcd.ts';
import { toHex } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import {
  EUICC_PERSONALITIES,
  VENDOR_ISD_R_AIDS,
  type EuiccPersonalityName,
} from '../../../src/euicc/personality.ts';
import { LpaError, RESET_NEEDED_MESSAGE } from '../../../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { useServices } from '../e2e-node/services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import type { Transport } from '../../../src/transport/transport.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';

const ORDER: Order = {
  matchingId: 'CARD-PERSONALITY',
  label: 'card personalities',
  reusable: true,
  iccid: ((p: string) => p + luhnCheckDigit(p))('899900400000030001'),
  metadata: {
    serviceProviderName: 'Card Operator',
    profileName: 'Card personality',
    profileClass: 'operational',
  },
  profile: { kind: 'generated', sizeBytes: 4000 },
};

const services = useServices({
  smdpPort: 0,
  relayPort: 0,
  seed: 'card-personalities',
  catalogue: [ORDER],
});
let counter = 0;

function newCard(personality: EuiccPersonalityName): SoftwareEuicc {
  const pki = services().pki.find((k) => k.ci.key.curve === 'P-256')!;
  const euicc = SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `card-${counter++}`, ci: pki.ci }),
    personality,
  });
  // Keep the slow card slow but the test short.
  if (personality === 'slow') euicc.faults.delay(2);
  return euicc;
}

function stackOver(transport: Transport) {
  const { es9p, es11 } = makeEs9p({ map: { [services().smdpAddress]: services().smdpUrl } });
  const links: Es10Link[] = [];
  const stack = lpaOver(transport, { es9p, es11 }, (l) => {
    links.push(l);
    return l;
  });
  return { lpa: stack.lpa, close: () => stack.close(), links };
}

const yes = () => Promise.resolve(true);
const ac = () => `LPA:1$${services().smdpAddress}$${ORDER.matchingId}`;

/** The whole life of a profile; `refreshFlag` as a modem link sends it. */
async function lifecycle(euicc: SoftwareEuicc, refreshFlag = false) {
  const { lpa, close, links } = stackOver(new VirtualTransport(euicc));
  try {
    const chip = await lpa.getChipInfo();
    expect(chip.eid).toBe(euicc.eid);
    expect(await lpa.listProfiles()).toEqual([]);
    const { iccid } = await lpa.download({ activationCode: ac(), confirm: yes });
    expect(iccid).toBeDefined();
    const enabled = await lpa.enableProfile({ iccid: iccid! }, { refreshFlag });
    expect((await lpa.listProfiles())[0]?.profileState).toBe('enabled');
    await lpa.disableProfile({ iccid: iccid! });
    await lpa.deleteProfile({ iccid: iccid! });
    expect(await lpa.listProfiles()).toEqual([]);
    return { chip, enabled, link: links[0] };
  } finally {
    await close();
  }
}

describe('eUICC personalities through the LPA', () => {
  it.each(['standard', '5ber', 'esimme', 'xesim', 'threeChannels', 't0Only', 'slow'] as const)(
    '%s: chip info, list, download, enable, disable, delete',
    async (name) => {
      const { link } = await lifecycle(newCard(name));
      expect(link).toBeInstanceOf(IsdR);
      const wanted = EUICC_PERSONALITIES[name].isdRAid ?? 'A0000005591010FFFFFFFF8900000100';
      expect(toHex((link as IsdR).aid)).toBe(wanted);
    },
  );

  it('finds the ISD-R of removable cards under their own AIDs', () => {
    expect(new Set(Object.values(VENDOR_ISD_R_AIDS)).size).toBe(3);
  });

  it.each(['block6700', 'block6601'] as const)(
    '%s: falls back to 120-byte blocks on its own and keeps them',
    async (name) => {
      const { link } = await lifecycle(newCard(name));
      expect((link as IsdR).blockSize).toBe(120);
    },
  );

  it('a block refused in the middle of a Bound Profile Package cancels the download; the next one uses 120-byte blocks', async () => {
    const euicc = newCard('standard');
    const inner = new VirtualTransport(euicc);
    let refused = 0;
    // Large blocks pass until the package is loading; then the card answers 6601 to them.
    const transport: Transport = {
      label: 'card refusing large blocks while loading',
      maxStoreDataBlock: 255,
      transmit: async (apdu, signal) => {
        if (euicc.loadingProfile && apdu[1] === 0xe2 && apdu[4]! > 120) {
          refused++;
          return Uint8Array.of(0x66, 0x01);
        }
        return inner.transmit(apdu, signal);
      },
      close: () => inner.close(),
    };
    const { lpa, close } = stackOver(transport);
    try {
      const err = await lpa.download({ activationCode: ac(), confirm: yes }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBe(1);
      expect(err).toBeInstanceOf(LpaError);
      expect((err as LpaError).reason).toBe('apdu');
      expect((err as LpaError).message).toMatch(/120-byte blocks .* nothing was installed/);
      // The normal cancel path: nothing half installed, the eUICC holds no session.
      expect(euicc.loadingProfile).toBe(false);
      expect(euicc.state.profiles).toEqual([]);
      expect(await lpa.listProfiles()).toEqual([]);
      const again = await lpa.download({ activationCode: ac(), confirm: yes });
      expect(again.iccid).toBeDefined();
      expect(refused).toBe(1);
    } finally {
      await close();
    }
  });

  it('noOptional: chip info goes on without GetEUICCInfo2; GetRAT gives no rules', async () => {
    const euicc = newCard('noOptional');
    const { chip } = await lifecycle(euicc);
    expect(chip.unsupported).toEqual(['GetEUICCInfo2']);
    expect(chip.euiccInfo2.euiccCiPKIdListForVerification.length).toBeGreaterThan(0);
    const { lpa, close } = stackOver(new VirtualTransport(euicc));
    try {
      expect(await lpa.getRat()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('refreshAfterEnable: a modem link asking for REFRESH still enables, and says a reset is needed', async () => {
    const euicc = newCard('refreshAfterEnable');
    const { enabled } = await lifecycle(euicc, true);
    expect(enabled.resetNeeded).toBe(RESET_NEEDED_MESSAGE);
    expect(enabled.resetNeeded).toMatch(/remove and reinsert the card, or restart the modem/);
  });

  it('a card that does REFRESH says nothing about a reset', async () => {
    const { enabled } = await lifecycle(newCard('standard'), true);
    expect(enabled.resetNeeded).toBeUndefined();
  });

  it('fullMemory: the install fails with insufficient memory and nothing stays on the card', async () => {
    const euicc = newCard('fullMemory');
    const { lpa, close } = stackOver(new VirtualTransport(euicc));
    try {
      const err = await lpa.download({ activationCode: ac(), confirm: yes }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LpaError);
      expect((err as LpaError).reason).toBe('installFailed');
      expect(JSON.stringify((err as LpaError).details)).toMatch(/insufficientMemory/i);
      expect(euicc.state.profiles).toEqual([]);
      expect(euicc.loadingProfile).toBe(false);
      expect((await lpa.getChipInfo()).eid).toBe(euicc.eid);
    } finally {
      await close();
    }
  });
});
