// A USB reader with several interfaces and slots in the production build: the app asks which
// interface and slot hold the eUICC (contact first, slots with a card first), the user picks
// them, the link runs there; the choice is remembered for the device, so the next connection
// asks nothing. The fake reader runs in the page (docs/platform.md §5), its card (a software
// eUICC) in this process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from './browser.ts';
import { startApp, type TestApp } from './setup.ts';
import { createEuicc, createTestIdentity } from '../../src/euicc/index.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import { CcidFeature } from '../../src/transport/webusb-ccid/descriptors.ts';
import { installFakeUsb } from '../fakes/usb/install-browser.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';

let app: TestApp;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, seed: 'reader-slots' },
    config: localServicesConfig,
  });
});

after(() => app.close());

const SHORT_APDU = CcidFeature.shortApduLevel | CcidFeature.automaticVoltage;

test('multi-slot reader: the user picks the contact interface and the slot with the card; remembered next time', async () => {
  const euicc = createEuicc({
    identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
  });
  const { context, page } = await app.newPage({}, 15_000);
  // Interface 0: contactless, one empty slot. Interface 1: contact, three slots, the eUICC in 2.
  await installFakeUsb(page, (apdu) => euicc.transmit(apdu), {
    productName: 'Multi-slot Reader',
    serialNumber: 'MS-0001',
    cardSlot: 2,
    interfaces: [
      {
        interfaceNumber: 1,
        interfaceClass: 0x0b,
        name: 'Contact Reader',
        descriptor: { maxSlotIndex: 2, features: SHORT_APDU, maxCcidMessageLength: 271 },
      },
      {
        interfaceNumber: 0,
        interfaceClass: 0x0b,
        name: 'Contactless Reader',
        descriptor: { voltageSupport: 0x01, features: SHORT_APDU, maxCcidMessageLength: 271 },
      },
    ],
  });
  try {
    await page.goto(app.server.url);
    await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
    await page.getByRole('button', { name: 'Use USB reader' }).click();

    const picker = page.getByRole('region', { name: /Choose where the eUICC sits/ });
    await picker.waitFor();
    const interfaces = picker.getByRole('group', { name: 'Interface' }).getByRole('radio');
    assert.equal(await interfaces.count(), 2);
    // Contact first and preselected; the slot with the card first and preselected.
    assert.match(
      (await picker.getByRole('group', { name: 'Interface' }).textContent()) ?? '',
      /Contact \(interface 1, Contact Reader\)[\s\S]*Contactless/,
    );
    const slots = picker.getByRole('group', { name: 'Slot' }).getByRole('radio');
    assert.equal(await slots.count(), 3);
    const slotLabels = await picker
      .getByRole('group', { name: 'Slot' })
      .locator('label')
      .allTextContents();
    assert.match(slotLabels[0] ?? '', /Slot 2 \(card present\)/);
    assert.match(slotLabels[1] ?? '', /Slot 0 \(empty\)/);
    await screenshot(page, 'reader-slots-picker');

    // The user looks at the contactless interface, then goes back and picks slot 2.
    await picker.getByRole('radio', { name: /Contactless/ }).check();
    assert.equal(await slots.count(), 1);
    await picker.getByRole('radio', { name: /Contact \(interface 1/ }).check();
    await picker.getByRole('radio', { name: /Slot 2/ }).check();
    await picker.getByRole('button', { name: 'Use this slot' }).click();

    await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
    assert.match(
      (await page.getByTestId('connection-status').textContent()) ?? '',
      /Multi-slot Reader slot 2/,
    );
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Chip' })
      .click();
    await page.getByTestId('eid').waitFor();
    assert.equal(((await page.getByTestId('eid').textContent()) ?? '').trim(), euicc.eid);
    assert.equal(await picker.count(), 0);

    // Disconnect and connect again: the remembered interface and slot, no question.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Connect' })
      .click();
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('button', { name: 'Use USB reader' }).click();
    await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
    assert.equal(await picker.count(), 0);
    assert.match(
      (await page.getByTestId('connection-status').textContent()) ?? '',
      /Multi-slot Reader slot 2/,
    );
    assert.deepEqual(app.pageErrors, []);
  } finally {
    await context.close();
  }
});
