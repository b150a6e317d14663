// The Connect view's first-visit guide as data (src/ui/lib/connect-guide.ts): the browser and
// platform from the user agent, which links work, which do not and why, what to do, and the
// stored "dismissed" mark.
import { describe, expect, it } from 'vitest';
import {
  BRIDGE_COMMAND,
  GUIDE_STORAGE_KEY,
  IWA_COMMAND,
  connectGuide,
  detectBrowser,
  guideDismissed,
  rememberGuideDismissed,
  type BrowserInfo,
  type ConnectGuideContent,
  type GuideCapabilities,
  type UserAgentInput,
} from '../../../src/ui/lib/connect-guide.ts';
import { en } from '../../../src/i18n/index.ts';

const brands = (...names: string[]) => names.map((brand) => ({ brand, version: '140' }));

const UA = {
  chromeWindows: {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    userAgentData: {
      brands: brands('Chromium', 'Google Chrome', 'Not=A?Brand'),
      platform: 'Windows',
      mobile: false,
    },
  },
  chromeLinux: {
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    userAgentData: {
      brands: brands('Chromium', 'Google Chrome', 'Not=A?Brand'),
      platform: 'Linux',
      mobile: false,
    },
  },
  chromeOs: {
    userAgent:
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    userAgentData: {
      brands: brands('Chromium', 'Google Chrome', 'Not=A?Brand'),
      platform: 'Chrome OS',
      mobile: false,
    },
  },
  edge: {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
    userAgentData: {
      brands: brands('Chromium', 'Microsoft Edge', 'Not=A?Brand'),
      platform: 'Windows',
      mobile: false,
    },
  },
  firefox: {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  },
  safariMac: {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  },
  safariIphone: {
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
  },
  chromeAndroid: {
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36',
    userAgentData: {
      brands: brands('Chromium', 'Google Chrome', 'Not=A?Brand'),
      platform: 'Android',
      mobile: true,
    },
  },
  headless: {
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
    userAgentData: { brands: brands('Chromium', 'Not-A.Brand'), platform: 'Linux', mobile: false },
  },
} satisfies Record<string, UserAgentInput>;

/** What a Chromium page on a secure origin has: WebUSB and Web Serial, no smart card API. */
const CHROMIUM_PAGE: GuideCapabilities = {
  isSecureContext: true,
  usb: true,
  serial: true,
  smartCard: false,
  isolatedApp: false,
};
const NO_APIS: GuideCapabilities = { ...CHROMIUM_PAGE, usb: false, serial: false };

function summary(guide: ConnectGuideContent): {
  works: string[];
  blocked: string[];
  steps: string[];
} {
  return {
    works: guide.works.map((w) => w.link),
    blocked: guide.blocked.map((b) => `${b.links.join('+')}: ${b.reason}`),
    steps: guide.steps.map((s) => s.action),
  };
}

describe('detectBrowser', () => {
  it.each([
    ['chromeWindows', { name: 'chrome', platform: 'windows', mobile: false }],
    ['chromeOs', { name: 'chrome', platform: 'chromeos', mobile: false }],
    ['edge', { name: 'edge', platform: 'windows', mobile: false }],
    ['firefox', { name: 'firefox', platform: 'linux', mobile: false }],
    ['safariMac', { name: 'safari', platform: 'macos', mobile: false }],
    ['safariIphone', { name: 'safari', platform: 'ios', mobile: true }],
    ['chromeAndroid', { name: 'chrome', platform: 'android', mobile: true }],
    ['headless', { name: 'chromium', platform: 'linux', mobile: false }],
  ] as const)('%s', (key, expected: BrowserInfo) => {
    expect(detectBrowser(UA[key])).toEqual(expected);
  });

  it('reads the UA string when there are no client hints (Edge and Android without them)', () => {
    expect(detectBrowser({ userAgent: UA.edge.userAgent })).toEqual({
      name: 'edge',
      platform: 'windows',
      mobile: false,
    });
    expect(detectBrowser({ userAgent: UA.chromeAndroid.userAgent })).toEqual({
      name: 'chrome',
      platform: 'android',
      mobile: true,
    });
  });

  it('an unknown user agent is "other" on "other"', () => {
    expect(detectBrowser({ userAgent: 'curl/8.5.0' })).toEqual({
      name: 'other',
      platform: 'other',
      mobile: false,
    });
  });
});

describe('connectGuide', () => {
  it('Chrome on a desktop: modems and the bridge work; CCID readers need the bridge or the IWA', () => {
    const guide = connectGuide(CHROMIUM_PAGE, detectBrowser(UA.chromeWindows));
    expect(summary(guide)).toEqual({
      works: ['virtual', 'serialModem', 'usbModem', 'bridge'],
      blocked: ['usbReader: ccidBlocked', 'smartCard: smartCardApp'],
      steps: ['bridge', 'iwa', 'serialModem', 'virtual'],
    });
    expect(guide.steps.find((s) => s.action === 'bridge')?.command).toBe(BRIDGE_COMMAND);
    expect(guide.steps.find((s) => s.action === 'iwa')?.command).toBe(IWA_COMMAND);
    expect(guide.isolatedApp).toBe(false);
  });

  it('Chrome on Linux: the modem step says to stop ModemManager', () => {
    const guide = connectGuide(CHROMIUM_PAGE, detectBrowser(UA.chromeLinux));
    expect(summary(guide).steps).toEqual(['bridge', 'iwa', 'serialModemLinux', 'virtual']);
    expect(en.guide.todo.serialModemLinux).toMatch(/ModemManager/);
  });

  it('Edge on a desktop: the same as Chrome', () => {
    const guide = connectGuide(CHROMIUM_PAGE, detectBrowser(UA.edge));
    expect(summary(guide)).toEqual(
      summary(connectGuide(CHROMIUM_PAGE, detectBrowser(UA.chromeWindows))),
    );
    expect(guide.browser.name).toBe('edge');
  });

  it('Chrome in the Isolated Web App on ChromeOS: readers and the smart card API work', () => {
    const guide = connectGuide(
      { ...CHROMIUM_PAGE, smartCard: true, isolatedApp: true },
      detectBrowser(UA.chromeOs),
    );
    expect(summary(guide)).toEqual({
      works: ['virtual', 'usbReader', 'serialModem', 'usbModem', 'smartCard', 'bridge'],
      blocked: [],
      steps: ['serialModem', 'virtual'],
    });
    expect(guide.isolatedApp).toBe(true);
  });

  it('the Isolated Web App on Windows: readers work, the smart card API does not', () => {
    const guide = connectGuide(
      { ...CHROMIUM_PAGE, isolatedApp: true },
      detectBrowser(UA.chromeWindows),
    );
    expect(summary(guide)).toEqual({
      works: ['virtual', 'usbReader', 'serialModem', 'usbModem', 'bridge'],
      blocked: ['smartCard: smartCardApp'],
      steps: ['serialModem', 'virtual'],
    });
  });

  it('Firefox: no USB, no serial; the bridge, another browser for modems, the virtual eUICC', () => {
    const guide = connectGuide(NO_APIS, detectBrowser(UA.firefox));
    expect(summary(guide)).toEqual({
      works: ['virtual', 'bridge'],
      blocked: [
        'usbReader+usbModem: noWebUsb',
        'serialModem: noWebSerial',
        'smartCard: smartCardApp',
      ],
      steps: ['bridge', 'desktopBrowser', 'virtual'],
    });
  });

  it('Safari on a Mac: like Firefox, and no Isolated Web App advice', () => {
    const guide = connectGuide(NO_APIS, detectBrowser(UA.safariMac));
    expect(summary(guide).steps).toEqual(['bridge', 'desktopBrowser', 'virtual']);
    expect(summary(guide).works).toEqual(['virtual', 'bridge']);
  });

  it('Safari on an iPhone: only the virtual eUICC; the bridge needs a computer', () => {
    const guide = connectGuide(NO_APIS, detectBrowser(UA.safariIphone));
    expect(summary(guide)).toEqual({
      works: ['virtual'],
      blocked: [
        'usbReader+usbModem: noWebUsb',
        'serialModem: noWebSerial',
        'smartCard: smartCardApp',
        'bridge: bridgeComputer',
      ],
      steps: ['desktopBrowser', 'virtual'],
    });
  });

  it('Chrome on Android: modems over USB; no CCID readers, no IWA, no bridge', () => {
    const guide = connectGuide(
      { ...CHROMIUM_PAGE, serial: false },
      detectBrowser(UA.chromeAndroid),
    );
    expect(summary(guide)).toEqual({
      works: ['virtual', 'usbModem'],
      blocked: [
        'usbReader: ccidBlockedAndroid',
        'serialModem: noWebSerial',
        'smartCard: smartCardApp',
        'bridge: bridgeComputer',
      ],
      steps: ['usbModem', 'virtual'],
    });
  });

  it("Chrome on Android with Web Serial: it still does not see modems' AT ports", () => {
    const guide = connectGuide(CHROMIUM_PAGE, detectBrowser(UA.chromeAndroid));
    expect(summary(guide).blocked).toContain('serialModem: serialAndroid');
    expect(summary(guide).steps).toEqual(['usbModem', 'virtual']);
  });

  it('an insecure http origin: USB and serial hidden for that reason; open it securely first', () => {
    const guide = connectGuide(
      { ...NO_APIS, isSecureContext: false },
      detectBrowser(UA.chromeWindows),
    );
    expect(summary(guide)).toEqual({
      works: ['virtual', 'bridge'],
      blocked: ['usbReader+serialModem+usbModem: insecure', 'smartCard: smartCardApp'],
      steps: ['secureOrigin', 'bridge', 'virtual'],
    });
  });

  it('every link, reason and step has its text', () => {
    const browsers = Object.values(UA).map((ua) => detectBrowser(ua));
    const flags = [true, false];
    for (const browser of browsers)
      for (const isSecureContext of flags)
        for (const usb of flags)
          for (const serial of flags)
            for (const isolatedApp of flags) {
              const guide = connectGuide(
                { isSecureContext, usb, serial, smartCard: isolatedApp, isolatedApp },
                browser,
              );
              expect(guide.steps.at(-1)?.action).toBe('virtual');
              for (const w of guide.works) {
                expect(en.guide.links[w.link]).toBeTruthy();
                expect(en.guide.works[w.link]).toBeTruthy();
              }
              for (const b of guide.blocked) expect(en.guide.why[b.reason]).toBeTruthy();
              for (const s of guide.steps) expect(en.guide.todo[s.action]).toBeTruthy();
              const all = [
                ...guide.works.map((w) => w.link),
                ...guide.blocked.flatMap((b) => b.links),
              ];
              expect(all.sort()).toEqual([
                'bridge',
                'serialModem',
                'smartCard',
                'usbModem',
                'usbReader',
                'virtual',
              ]);
            }
  });
});

describe('the dismissed mark', () => {
  function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
    };
  }

  it('is absent on the first visit and kept once set', () => {
    const storage = memoryStorage();
    expect(guideDismissed(storage)).toBe(false);
    rememberGuideDismissed(storage);
    expect(storage.data.get(GUIDE_STORAGE_KEY)).toBe('dismissed');
    expect(guideDismissed(storage)).toBe(true);
  });

  it('without storage, or with storage that throws, the guide shows and nothing fails', () => {
    expect(guideDismissed(undefined)).toBe(false);
    const broken = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => {
      rememberGuideDismissed(broken);
    }).not.toThrow();
    expect(guideDismissed(broken)).toBe(false);
  });
});
