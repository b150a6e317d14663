/**
 * The application state: which view is shown, the connection to an eUICC (through LpaBackend),
 * what was last read from it, and a single "run" wrapper that shows busy state, turns errors into
 * plain words and refreshes what an operation may have changed.
 */
import type {
  ChipView,
  LpaBackend,
  MemoryResetOptions,
  NotificationView,
  ProfileView,
} from './backend.ts';
import { describeError, type ErrorView } from './errors.ts';
import { DownloadState } from './download.svelte.ts';
import { messages } from './i18n.svelte.ts';
import type { Messages } from '../../i18n/index.ts';
import { ExchangeLog } from './log.svelte.ts';
import { Settings } from './settings.svelte.ts';
import { transportAvailability, type Availability, type BrowserEnv } from './environment.ts';
import {
  importSettingsJson,
  type DemoCode,
  type SettingsData,
  type TransportKind,
} from './settings-model.ts';
import type { KeyValueStore } from './idb-store.ts';

export type ViewName =
  'connect' | 'chip' | 'profiles' | 'add' | 'notifications' | 'settings' | 'log' | 'batch';
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'lost';

/** Builds a backend for a link kind; implemented in lpa-backend.ts, loaded on first connect. */
export type BackendFactory = (
  kind: TransportKind,
  ctx: {
    env: BrowserEnv;
    settings: Settings;
    log: ExchangeLog;
    store: KeyValueStore;
    onLost: () => void;
    /** A message for the user that no operation asked for (e.g. an interrupted download finished). */
    onNotice: (text: string) => void;
    /**
     * Hardware only: reuse a device the page was granted before ('prefer': unless the choice is
     * unclear; 'only': never show the chooser). Absent: always show the chooser.
     */
    granted?: 'prefer' | 'only';
  },
) => Promise<LpaBackend>;

export class AppState {
  view: ViewName = $state('connect');
  status: ConnectionStatus = $state('disconnected');
  kind: TransportKind | undefined = $state();
  backend: LpaBackend | undefined = $state.raw();
  chip: ChipView | undefined = $state();
  profiles: ProfileView[] = $state([]);
  notifications: NotificationView[] = $state([]);
  busy: string | undefined = $state();
  error: ErrorView | undefined = $state();
  /**
   * What just happened, as a function that words it in the current language when shown (so a
   * notice follows a language switch, e.g. the one saving Settings makes).
   */
  notice: (() => string) | undefined = $state();
  updateReady = $state(false);
  demoCodes: DemoCode[] = $state([]);

  readonly settings: Settings;
  readonly log = new ExchangeLog();
  readonly download = new DownloadState();
  readonly availability: Availability[];

  constructor(
    readonly env: BrowserEnv,
    readonly store: KeyValueStore,
    storage: Storage | undefined,
    readonly kiosk: boolean,
    private readonly factory: BackendFactory,
  ) {
    this.settings = new Settings(storage);
    this.availability = transportAvailability(env);
    this.log.masked = this.settings.current.maskSecrets;
  }

  get connected(): boolean {
    return this.status === 'connected' && this.backend !== undefined;
  }

  go(view: ViewName): void {
    // Coming back to "Add profile" after a finished download shows the form again: a fresh one
    // after a success, the kept input after a failure (the error was shown already).
    if (view === 'add' && view !== this.view) {
      if (this.download.phase === 'done') {
        this.download.reset();
        this.download.clearForm();
      } else if (this.download.phase === 'failed') {
        this.download.reset();
      }
    }
    this.view = view;
    this.notice = undefined;
  }

  dismissError(): void {
    this.error = undefined;
  }

  async connect(
    kind: TransportKind,
    options: { granted?: 'prefer' | 'only'; quiet?: boolean } = {},
  ): Promise<void> {
    if (this.status === 'connecting') return;
    await this.disconnect();
    this.status = 'connecting';
    this.kind = kind;
    this.error = undefined;
    this.notice = undefined;
    try {
      this.backend = await this.factory(kind, {
        env: this.env,
        settings: this.settings,
        log: this.log,
        store: this.store,
        onLost: () => {
          this.status = 'lost';
        },
        onNotice: (text) => {
          this.addNotice(text);
        },
        ...(options.granted !== undefined ? { granted: options.granted } : {}),
      });
      this.status = 'connected';
      this.settings.rememberTransport(kind);
      // A download that failed because the link was lost is history now: show the form again
      // (with what was typed), not advice to plug the reader back in.
      if (this.download.phase === 'failed') this.download.reset();
      await this.refreshAll();
      if (this.view === 'connect') this.view = this.kiosk ? 'add' : 'profiles';
    } catch (e) {
      this.status = 'disconnected';
      this.backend = undefined;
      // An automatic attempt that found no device is not news to the user.
      if (!(options.quiet === true && noDeviceChosen(e))) this.error = describeError(e);
    }
  }

  /**
   * Connects without asking: to a reader or modem this page was granted before, when one is
   * plugged in (no chooser, so no user gesture is needed). Used at start-up and when a device
   * is plugged (back) in; stays quiet when there is none.
   */
  async autoConnect(kind: TransportKind): Promise<void> {
    if (this.status === 'connected' || this.status === 'connecting') return;
    await this.connect(kind, { granted: 'only', quiet: true });
  }

  /** Appends to the notice shown (several things may have happened in one operation). */
  private addNotice(text: string | (() => string)): void {
    const before = this.notice;
    const word = typeof text === 'string' ? () => text : text;
    this.notice = before === undefined ? word : () => `${before()} ${word()}`;
  }

  /** The notice in words, in the current language. */
  get noticeText(): string | undefined {
    return this.notice?.();
  }

  /** Reconnects to the same kind of link, reusing the device chosen before when it is back. */
  async reconnect(): Promise<void> {
    if (this.kind) await this.connect(this.kind, { granted: 'prefer' });
  }

  async disconnect(): Promise<void> {
    const b = this.backend;
    this.backend = undefined;
    this.status = 'disconnected';
    this.chip = undefined;
    this.profiles = [];
    this.notifications = [];
    if (b) {
      try {
        await b.close();
      } catch {
        // Closing a link that is already gone is not an error worth showing.
      }
    }
  }

  /**
   * Runs one operation: shows it as busy, shows an error in plain words on failure, and refreshes
   * the lists afterwards (also after a failure, since the eUICC may have changed). The operation
   * returns its notice as a function, so the words follow a later change of language.
   */
  async run(
    label: string,
    op: (b: LpaBackend) => Promise<(() => string) | undefined>,
  ): Promise<boolean> {
    const b = this.backend;
    if (!b || this.busy !== undefined) return false;
    this.busy = label;
    this.error = undefined;
    this.notice = undefined;
    let ok = false;
    let notice: (() => string) | undefined;
    try {
      notice = await op(b);
      ok = true;
    } catch (e) {
      this.error = describeError(e);
      if (isLinkLost(e)) this.status = 'lost';
    }
    // The result is announced once the lists show it: a notice saying "enabled" next to a card
    // still marked "Disabled" would contradict itself. Busy until then, so nothing interleaves.
    try {
      if (this.status === 'connected') await this.refreshAll(false);
    } finally {
      this.busy = undefined;
    }
    // A notice that arrived during the operation (onNotice) is kept in front of its own.
    if (notice !== undefined) this.addNotice(notice);
    return ok;
  }

  async refreshAll(showErrors = true): Promise<void> {
    const b = this.backend;
    if (!b) return;
    try {
      this.chip = await b.chipInfo();
      this.profiles = await b.listProfiles();
      this.notifications = await b.listNotifications();
    } catch (e) {
      if (isLinkLost(e)) this.status = 'lost';
      if (showErrors || !this.error) this.error = describeError(e);
    }
  }

  enable(p: ProfileView): Promise<boolean> {
    return this.run(messages().profiles.busy.enabling(profileTitle(p)), async (b) => {
      const resetNeeded = await b.enableProfile(p.iccid);
      return () => {
        const done = messages().profiles.result;
        const enabled = done.enabled(profileTitle(p));
        return resetNeeded ? `${enabled} ${done.resetNeeded}` : enabled;
      };
    });
  }

  disable(p: ProfileView): Promise<boolean> {
    return this.run(messages().profiles.busy.disabling(profileTitle(p)), async (b) => {
      await b.disableProfile(p.iccid);
      return () => messages().profiles.result.disabled(profileTitle(p));
    });
  }

  delete(p: ProfileView): Promise<boolean> {
    return this.run(messages().profiles.busy.deleting(profileTitle(p)), async (b) => {
      await b.deleteProfile(p.iccid);
      return () => messages().profiles.result.deleted(profileTitle(p));
    });
  }

  rename(p: ProfileView, nickname: string): Promise<boolean> {
    return this.run(messages().profiles.busy.renaming(profileTitle(p)), async (b) => {
      await b.setNickname(p.iccid, nickname.trim());
      return () => {
        const done = messages().profiles.result;
        return nickname.trim() === '' ? done.nicknameRemoved : done.renamed(nickname.trim());
      };
    });
  }

  setDefaultDp(address: string): Promise<boolean> {
    return this.run(status().savingDefaultDp, async (b) => {
      await b.setDefaultDpAddress(address.trim());
      return () =>
        address.trim() === '' ? status().defaultDpCleared : status().defaultDpSet(address.trim());
    });
  }

  memoryReset(options: MemoryResetOptions): Promise<boolean> {
    return this.run(status().resettingMemory, async (b) => {
      await b.memoryReset(options);
      return () => status().memoryReset;
    });
  }

  sendNotification(n: NotificationView): Promise<boolean> {
    return this.run(status().sendingNotification(n.seqNumber), async (b) => {
      await b.sendNotification(n.seqNumber);
      return () => status().notificationSent(n.seqNumber, n.address);
    });
  }

  sendAllNotifications(): Promise<boolean> {
    return this.run(status().sendingAll, async (b) => {
      const report = await b.sendAllNotifications();
      if (report.failed.length > 0) {
        const first = report.failed[0]!;
        const err = describeError(first.error);
        throw Object.assign(
          new Error(status().someKept(report.sent, report.failed.length, err.detail)),
          {
            cause: first.error,
          },
        );
      }
      return () => status().allSent(report.sent);
    });
  }

  removeNotification(n: NotificationView): Promise<boolean> {
    return this.run(status().removingNotification(n.seqNumber), async (b) => {
      await b.removeNotification(n.seqNumber);
      return () => status().notificationRemoved(n.seqNumber);
    });
  }

  async startDownload(): Promise<void> {
    const b = this.backend;
    if (!b || this.busy !== undefined) return;
    await this.#download(b, this.download.source());
  }

  async downloadFromEvent(eventId: string, address: string): Promise<void> {
    const b = this.backend;
    if (!b || this.busy !== undefined) return;
    await this.#download(b, { kind: 'address', smdpAddress: address, matchingId: eventId });
  }

  async #download(b: LpaBackend, source: Parameters<DownloadState['start']>[1]): Promise<void> {
    this.busy = status().adding;
    this.error = undefined;
    try {
      await this.download.start(b, source, {
        onSecret: (s) => {
          this.log.addSecret(s);
        },
        onFinished: () => undefined,
      });
    } finally {
      this.busy = undefined;
    }
    await this.refreshAll(false);
    if (this.kiosk && this.download.phase === 'done') {
      // Kiosk: show the result briefly, then return to the start for the next person.
      setTimeout(() => {
        this.download.reset();
        this.download.clearForm();
        this.view = 'add';
      }, 8000);
    }
  }

  async discover(): Promise<void> {
    const b = this.backend;
    if (!b) return;
    const smds = this.settings.current.smdsAddress;
    await this.download.discover(b, smds === '' ? undefined : smds);
  }

  /** Validates and saves settings; on a bad value shows why and keeps the form as typed. */
  saveSettings(change: Partial<SettingsData>): boolean {
    try {
      this.settings.update(change);
      this.log.masked = this.settings.current.maskSecrets;
      this.error = undefined;
      this.notice = () => status().settingsSaved;
      return true;
    } catch (e) {
      this.error = describeError(e);
      return false;
    }
  }

  importSettings(text: string): boolean {
    try {
      this.settings.replaceUser(importSettingsJson(text));
      this.log.masked = this.settings.current.maskSecrets;
      this.error = undefined;
      this.notice = () => status().settingsImported;
      return true;
    } catch (e) {
      this.error = describeError(e);
      return false;
    }
  }
}

/** The status texts of the area `errors`, in the language shown now. */
function status(): Messages['errors']['status'] {
  return messages().errors.status;
}

export function profileTitle(p: ProfileView): string {
  return p.nickname || p.profileName || p.serviceProviderName || p.iccid;
}

function isLinkLost(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 6 && typeof cur === 'object' && cur !== null; i++) {
    const name = (cur as { name?: unknown }).name;
    if (name === 'TransportClosedError' || name === 'SlotEmptyError' || name === 'CardRemovedError')
      return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * UsbAccessError / SerialAccessError of reason noDevice, SmartCardAccessError of reason noReader or
 * noCard: nothing chosen or nothing plugged in.
 */
function noDeviceChosen(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'SmartCardAccessError') {
    const reason = (e as Error & { reason?: unknown }).reason;
    return reason === 'noReader' || reason === 'noCard';
  }
  // The card bridge not running (or this page no longer paired) when the app starts: not news.
  if (e.name === 'BridgeError') {
    const reason = (e as Error & { reason?: unknown }).reason;
    return reason === 'notRunning' || reason === 'pairingRequired' || reason === 'noCard';
  }
  return (
    (e.name === 'UsbAccessError' ||
      e.name === 'SerialAccessError' ||
      e.name === 'UsbModemAccessError') &&
    (e as Error & { reason?: unknown }).reason === 'noDevice'
  );
}
