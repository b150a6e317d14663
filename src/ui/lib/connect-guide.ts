/**
 * The first-visit guide of the Connect view, as data: which browser and platform this is, which
 * links work here, which do not and why, and what to do instead. Pure code (no DOM): the
 * component hands in what the browser offers and its user agent; texts are keys into the `guide`
 * area of src/i18n, so a language switch re-renders the guide.
 *
 * What each browser allows is described in docs/platform.md §1 (WebUSB and CCID readers, the
 * Isolated Web App build, the Web Smart Card API) and §2.1 (Web Serial, modems over WebUSB,
 * secure contexts); the local card bridge in docs/bridge.md.
 */

export type BrowserName =
  'chrome' | 'edge' | 'opera' | 'samsung' | 'chromium' | 'firefox' | 'safari' | 'other';

export type PlatformName = 'windows' | 'macos' | 'linux' | 'chromeos' | 'android' | 'ios' | 'other';

/** The user agent as the page sees it: navigator.userAgentData (Chromium only) and the UA string. */
export interface UserAgentInput {
  userAgent: string;
  userAgentData?:
    | {
        brands?: readonly { brand: string; version: string }[];
        platform?: string;
        mobile?: boolean;
      }
    | undefined;
}

export interface BrowserInfo {
  name: BrowserName;
  platform: PlatformName;
  /** A phone or tablet: no local card bridge, no Isolated Web Apps. */
  mobile: boolean;
}

/** Names shown as they are in every language. */
export const BROWSER_NAMES: Record<Exclude<BrowserName, 'other'>, string> = {
  chrome: 'Chrome',
  edge: 'Edge',
  opera: 'Opera',
  samsung: 'Samsung Internet',
  chromium: 'Chromium',
  firefox: 'Firefox',
  safari: 'Safari',
};

export const PLATFORM_NAMES: Record<Exclude<PlatformName, 'other'>, string> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  chromeos: 'ChromeOS',
  android: 'Android',
  ios: 'iOS',
};

/** Brand names of navigator.userAgentData, most specific first. */
const BRANDS: readonly [string, BrowserName][] = [
  ['Microsoft Edge', 'edge'],
  ['Opera', 'opera'],
  ['Samsung Internet', 'samsung'],
  ['Google Chrome', 'chrome'],
  ['Chromium', 'chromium'],
];

/** Tokens of the UA string, most specific first (Edge and Opera also say "Chrome"). */
const UA_BROWSERS: readonly [RegExp, BrowserName][] = [
  [/\bEdg(e|A|iOS)?\//, 'edge'],
  [/\b(OPR|OPiOS)\//, 'opera'],
  [/\bSamsungBrowser\//, 'samsung'],
  [/\b(Firefox|FxiOS)\//, 'firefox'],
  [/\bCriOS\//, 'chrome'],
  [/\b(Chromium|HeadlessChrome)\//, 'chromium'],
  [/\bChrome\//, 'chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'safari'],
];

const UA_PLATFORMS: readonly [RegExp, PlatformName][] = [
  [/\bAndroid\b/, 'android'],
  [/\b(iPhone|iPad|iPod)\b/, 'ios'],
  [/\bCrOS\b/, 'chromeos'],
  [/\bWindows\b/, 'windows'],
  [/\b(Macintosh|Mac OS X)\b/, 'macos'],
  [/\bLinux\b/, 'linux'],
];

function platformFromHint(hint: string): PlatformName {
  const h = hint.toLowerCase().replace(/\s+/g, '');
  if (h === 'windows') return 'windows';
  if (h === 'macos') return 'macos';
  if (h === 'linux') return 'linux';
  if (h === 'chromeos' || h === 'chromiumos') return 'chromeos';
  if (h === 'android') return 'android';
  if (h === 'ios') return 'ios';
  return 'other';
}

/** Which browser and platform this is: the client hints when there are any, else the UA string. */
export function detectBrowser(ua: UserAgentInput): BrowserInfo {
  const data = ua.userAgentData;
  const brands = data?.brands ?? [];
  let name: BrowserName | undefined = BRANDS.find(([brand]) =>
    brands.some((b) => b.brand === brand),
  )?.[1];
  name ??= UA_BROWSERS.find(([re]) => re.test(ua.userAgent))?.[1] ?? 'other';
  let platform = data?.platform ? platformFromHint(data.platform) : 'other';
  if (platform === 'other')
    platform = UA_PLATFORMS.find(([re]) => re.test(ua.userAgent))?.[1] ?? 'other';
  const mobile =
    data?.mobile === true ||
    platform === 'android' ||
    platform === 'ios' ||
    /\bMobile\b/.test(ua.userAgent);
  return { name, platform, mobile };
}

/** What the page can use: the APIs present (src/ui/state/environment.ts BrowserEnv) and its origin. */
export interface GuideCapabilities {
  isSecureContext: boolean;
  usb: boolean;
  serial: boolean;
  smartCard: boolean;
  /** The page runs as the installed Isolated Web App (an `isolated-app:` origin). */
  isolatedApp: boolean;
}

/** The links of the Connect view the guide speaks about. */
export type GuideLink =
  'virtual' | 'usbReader' | 'serialModem' | 'usbModem' | 'smartCard' | 'bridge';

/** What a working link is good for (keys of `guide.works`). */
export type GuideNote = GuideLink;

/** Why a link does not work here (keys of `guide.why`). */
export type GuideReason =
  | 'insecure'
  | 'noWebUsb'
  | 'noWebSerial'
  | 'ccidBlocked'
  | 'ccidBlockedAndroid'
  | 'serialAndroid'
  | 'smartCardApp'
  | 'bridgeComputer';

/** What to do (keys of `guide.todo`), most useful first. */
export type GuideAction =
  | 'secureOrigin'
  | 'bridge'
  | 'iwa'
  | 'serialModem'
  | 'serialModemLinux'
  | 'usbModem'
  | 'desktopBrowser'
  | 'virtual';

export interface GuideWorking {
  link: GuideLink;
}

/** Links that do not work here for the same reason, listed together. */
export interface GuideBlocked {
  links: GuideLink[];
  reason: GuideReason;
}

export interface GuideStep {
  action: GuideAction;
  /** A command to show as it is (never translated). */
  command?: string;
}

export interface ConnectGuideContent {
  browser: BrowserInfo;
  isolatedApp: boolean;
  works: GuideWorking[];
  blocked: GuideBlocked[];
  steps: GuideStep[];
}

/** Run in a WebLPA checkout, as the README's card bridge section says. */
export const BRIDGE_COMMAND = 'npm run lpa -- bridge';
export const IWA_COMMAND = 'npm run build:iwa';

/** Chromium-based browsers: the ones with WebUSB, Web Serial and Isolated Web Apps. */
const CHROMIUM_FAMILY: readonly BrowserName[] = ['chrome', 'edge', 'opera', 'samsung', 'chromium'];

/** The guide for this browser: each link works here or not (and why), then what to do. */
export function connectGuide(caps: GuideCapabilities, browser: BrowserInfo): ConnectGuideContent {
  const usb = caps.isSecureContext && caps.usb;
  const serial = caps.isSecureContext && caps.serial;
  const android = browser.platform === 'android';
  const computer = !browser.mobile;
  const result = new Map<GuideLink, GuideReason | undefined>();

  result.set('virtual', undefined);

  // Readers of class 0x0B: only the Isolated Web App may claim them (docs/platform.md §1.1, §1.2).
  if (!caps.isSecureContext) result.set('usbReader', 'insecure');
  else if (!usb) result.set('usbReader', 'noWebUsb');
  else if (caps.isolatedApp) result.set('usbReader', undefined);
  else result.set('usbReader', android ? 'ccidBlockedAndroid' : 'ccidBlocked');

  // Android's Web Serial does not see modems' AT ports (docs/platform.md §2.1).
  if (!caps.isSecureContext) result.set('serialModem', 'insecure');
  else if (!serial) result.set('serialModem', 'noWebSerial');
  else result.set('serialModem', android ? 'serialAndroid' : undefined);

  if (!caps.isSecureContext) result.set('usbModem', 'insecure');
  else result.set('usbModem', usb ? undefined : 'noWebUsb');

  result.set('smartCard', caps.smartCard && caps.isSecureContext ? undefined : 'smartCardApp');

  // The bridge is a program on the computer the browser runs on.
  result.set('bridge', computer ? undefined : 'bridgeComputer');

  const works: GuideWorking[] = [];
  const blocked: GuideBlocked[] = [];
  for (const [link, reason] of result) {
    if (reason === undefined) {
      works.push({ link });
      continue;
    }
    const group = blocked.find((b) => b.reason === reason);
    if (group) group.links.push(link);
    else blocked.push({ links: [link], reason });
  }

  const working = (link: GuideLink): boolean => result.get(link) === undefined;
  const steps: GuideStep[] = [];
  if (!caps.isSecureContext) steps.push({ action: 'secureOrigin' });
  if (!working('usbReader') && working('bridge'))
    steps.push({ action: 'bridge', command: BRIDGE_COMMAND });
  if (
    result.get('usbReader') === 'ccidBlocked' &&
    computer &&
    CHROMIUM_FAMILY.includes(browser.name)
  )
    steps.push({ action: 'iwa', command: IWA_COMMAND });
  // On Linux ModemManager holds modems' AT ports until it is stopped (docs/platform.md §2.1).
  if (working('serialModem'))
    steps.push({ action: browser.platform === 'linux' ? 'serialModemLinux' : 'serialModem' });
  else if (working('usbModem')) steps.push({ action: 'usbModem' });
  else if (caps.isSecureContext && !usb && !serial) steps.push({ action: 'desktopBrowser' });
  steps.push({ action: 'virtual' });

  return { browser, isolatedApp: caps.isolatedApp, works, blocked, steps };
}

/** localStorage key: present once the guide was dismissed, so later visits start with it closed. */
export const GUIDE_STORAGE_KEY = 'weblpa.connectGuide';

export function guideDismissed(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  try {
    return storage?.getItem(GUIDE_STORAGE_KEY) === 'dismissed';
  } catch {
    return false;
  }
}

export function rememberGuideDismissed(storage: Pick<Storage, 'setItem'> | undefined): void {
  try {
    storage?.setItem(GUIDE_STORAGE_KEY, 'dismissed');
  } catch {
    // Storage full or blocked: the guide simply shows again next time.
  }
}
