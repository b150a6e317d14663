/**
 * The LPA: every user-level task over one card, one operation at a time.
 *
 *   const lpa = new Lpa({ es10: isdR, es9p: client });
 *   const eid = await lpa.getEid();
 *   await lpa.download({ activationCode, confirm: async (p) => ask(p) });
 *
 * Errors are always `LpaError{reason, cause}`. Profile operations send the notifications they
 * create afterwards (per kind, by the notification policy; default: all) and remove them only
 * once delivered.
 */
import type { Es10Link } from '../apdu/es10-link.ts';
import {
  decodeProfileInstallationResult,
  deleteProfile,
  disableProfile,
  enableProfile,
  euiccMemoryReset,
  getEid,
  getEuiccConfiguredAddresses,
  getEuiccInfo1,
  getEuiccInfo2,
  getProfilesInfo,
  getRat,
  listNotification,
  removeNotificationFromList,
  retrieveNotificationsList,
  setDefaultDpAddress,
  setNickname,
} from '../es10/index.ts';
import type {
  CiNames,
  DeviceInfo,
  EuiccConfiguredAddresses,
  EuiccInfo1,
  EuiccInfo2,
  EuiccMemoryResetOptions,
  EventEntry,
  GetProfilesInfoRequest,
  NotificationEventName,
  NotificationMetadata,
  ProfileInfo,
  ProfileInstallationFinalResult,
  ProfileRef,
  RatEntry,
} from '../es10/index.ts';
import { DEFAULT_DEVICE_INFO } from './context.ts';
import type { LpaContext, LpaOperation, LpaProgress } from './context.ts';
import { discovery } from './discovery.ts';
import type { DiscoveryOptions, DiscoveryResult } from './discovery.ts';
import { download } from './download.ts';
import type { DownloadOptions, DownloadResult } from './download.ts';
import type { Es9pApi, Es11Api } from './es9p-api.ts';
import { toLpaError } from './errors.ts';
import { memoryJournal, recoverInterruptedSessions } from './interrupted.ts';
import type { InterruptedSession, RecoveryResult, SessionJournal } from './interrupted.ts';
import { Mutex } from '../base/async.ts';
import { notificationPolicyOf, sendMany, sendOne, withNotifications } from './notifications.ts';
import type { NotificationPolicy, NotificationSendResult } from './notifications.ts';

export interface LpaOptions {
  /** The ISD-R link, or a factory that opens it (called lazily, again after a transport failure). */
  es10: Es10Link | (() => Promise<Es10Link>);
  es9p: Es9pApi;
  /** The SM-DS client; defaults to none (discovery then fails with code 'internal'). */
  es11?: Es11Api;
  /** TAC/IMEI/capabilities sent in ctxParams1 (defaults: DEFAULT_DEVICE_INFO). */
  deviceInfo?: Partial<DeviceInfo>;
  /** false keeps every notification on the eUICC (default true: send each kind at once). */
  autoSendNotifications?: boolean;
  /** Per kind, over what autoSendNotifications gives: e.g. `{ enable: 'keep', disable: 'keep' }`. */
  notificationPolicy?: Partial<NotificationPolicy>;
  onProgress?: (p: LpaProgress) => void;
  /** Names for extra CI key ids (e.g. the project's test CI). */
  ciNames?: CiNames;
  /** Deadline for cancelling a failed download on both sides (default 15 s). */
  cleanupTimeoutMs?: number;
  /**
   * Where download sessions that could not be cancelled (card gone, SM-DP+ unreachable) are
   * kept until a later connection finishes them (default: in memory, for this object only).
   */
  journal?: SessionJournal;
  /** Called after interrupted sessions were dealt with at the start of an operation. */
  onRecovery?: (results: RecoveryResult[]) => void;
  now?: () => Date;
}

export interface ChipInfo {
  eid: string;
  /**
   * EUICCInfo2; from a card without GetEUICCInfo2, the EUICCInfo1 fields (SVN, CI key ids) with
   * the rest empty ('' versions, no resources) and 'GetEUICCInfo2' in `unsupported`.
   */
  euiccInfo2: EuiccInfo2;
  addresses: EuiccConfiguredAddresses;
  /** Optional ES10 functions the card does not offer (chip info went on without them). */
  unsupported?: string[];
}

/** An EuiccInfo2 holding what EUICCInfo1 tells, for cards without GetEUICCInfo2. */
function info2FromInfo1(i1: EuiccInfo1): EuiccInfo2 {
  return {
    raw: i1.raw,
    profileVersion: '',
    svn: i1.svn,
    euiccFirmwareVer: '',
    extCardResource: {},
    uiccCapability: [],
    rspCapability: [],
    euiccCiPKIdListForVerification: i1.euiccCiPKIdListForVerification,
    euiccCiPKIdListForSigning: i1.euiccCiPKIdListForSigning,
    ppVersion: '',
    sasAcreditationNumber: '',
  };
}

export interface ProfileOperationResult {
  /** Delivery of the notifications the operation created. */
  notifications: NotificationSendResult[];
  /**
   * Set when the eUICC enabled the profile only without a REFRESH (removable cards, lpac issues
   * #13/#14): what the user has to do before the device uses the profile.
   */
  resetNeeded?: string;
}

/** What to do when a card enabled a profile without a REFRESH. */
export const RESET_NEEDED_MESSAGE =
  'The card enabled the profile but cannot ask the device to reload it: remove and reinsert ' +
  'the card, or restart the modem (or turn its radio off and on), before the device uses it.';

/**
 * ES10 functions a card may lack (SW 6D00 INS not supported, 6A88 referenced data not found,
 * 6A86/6E00): the LPA goes on without them.
 */
function isMissingFunction(e: unknown): boolean {
  if (!(e instanceof Error) || e.name !== 'ApduError') return false;
  const sw = (e as { sw?: unknown }).sw;
  return sw === 0x6d00 || sw === 0x6a88 || sw === 0x6a86 || sw === 0x6e00;
}

/** EnableProfile refused because of the refreshFlag (undefinedError or catBusy). */
function isRefreshRefusal(e: unknown): boolean {
  if (!(e instanceof Error) || e.name !== 'Es10Error') return false;
  const code = (e as { resultCode?: unknown }).resultCode;
  return code === 127 || code === 5;
}

export class Lpa {
  private readonly mutex = new Mutex();
  private readonly ctx: LpaContext;
  private linkPromise: Promise<Es10Link> | undefined;
  /** Set while the journal may hold sessions for the card behind the current link. */
  private recoveryDue = true;

  constructor(private readonly options: LpaOptions) {
    const es10 = options.es10;
    const factory = typeof es10 === 'function' ? es10 : undefined;
    if (!factory) this.linkPromise = Promise.resolve(es10 as Es10Link);
    this.ctx = {
      link: () => {
        if (!this.linkPromise) {
          const p = factory!();
          this.linkPromise = p;
          p.catch(() => {
            if (this.linkPromise === p) this.linkPromise = undefined;
          });
        }
        return this.linkPromise;
      },
      linkFailed: () => {
        if (factory) this.linkPromise = undefined;
        this.recoveryDue = true;
      },
      es9p: options.es9p,
      es11: options.es11,
      deviceInfo: { ...DEFAULT_DEVICE_INFO, ...options.deviceInfo },
      ciNames: options.ciNames,
      notificationPolicy: notificationPolicyOf(
        options.autoSendNotifications,
        options.notificationPolicy,
      ),
      cleanupTimeoutMs: options.cleanupTimeoutMs ?? 15_000,
      journal: options.journal ?? memoryJournal(),
      now: options.now ?? (() => new Date()),
      emit: (p, local) => {
        local?.(p);
        this.options.onProgress?.(p);
      },
    };
  }

  /**
   * Before the first operation on a (re)opened link: finishes download sessions an earlier
   * failure left open (interrupted.ts). Only a lost card fails the operation; anything else is
   * reported through onRecovery and retried on a later connection.
   */
  private async recoverIfDue(signal?: AbortSignal): Promise<void> {
    if (!this.recoveryDue) return;
    const link = await this.ctx.link();
    let results: RecoveryResult[];
    try {
      results = await recoverInterruptedSessions(this.ctx, link, this.ctx.journal, signal);
    } catch (e) {
      const err = toLpaError(e, 'cancelSession', signal);
      if (err.reason === 'transport' || err.reason === 'cancelled') throw err;
      this.recoveryDue = false;
      return;
    }
    this.recoveryDue = false;
    if (results.length > 0) this.options.onRecovery?.(results);
  }

  /** Download sessions still waiting to be cancelled (from the journal). */
  async interruptedSessions(): Promise<readonly InterruptedSession[]> {
    return this.ctx.journal.load();
  }

  /** Finishes interrupted download sessions now (also done before the first operation). */
  recoverInterruptedSessions(signal?: AbortSignal): Promise<RecoveryResult[]> {
    return this.locked('cancelSession', signal, async () => {
      const results = await recoverInterruptedSessions(
        this.ctx,
        await this.ctx.link(),
        this.ctx.journal,
        signal,
      );
      this.recoveryDue = false;
      return results;
    });
  }

  /**
   * Runs `body` under the card lock: every failure becomes an LpaError (named after `step` when
   * it has no step yet), and a transport failure drops the cached link so the next call reopens it.
   */
  private locked<T>(
    step: string | undefined,
    signal: AbortSignal | undefined,
    body: () => Promise<T>,
  ): Promise<T> {
    return this.mutex
      .run(async () => {
        try {
          return await body();
        } catch (e) {
          const err = toLpaError(e, step, signal);
          if (err.reason === 'transport') this.ctx.linkFailed(e);
          throw err;
        }
      }, signal)
      .catch((e: unknown) => {
        throw toLpaError(e, step, signal);
      });
  }

  /** Runs `fn` on the link under the card lock, after any due recovery (see `locked`). */
  private run<T>(
    operation: LpaOperation,
    step: string,
    fn: (link: Es10Link) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.locked(step, signal, async () => {
      await this.recoverIfDue(signal);
      this.ctx.emit({ operation, step });
      return fn(await this.ctx.link());
    });
  }

  // ---- download and discovery ---------------------------------------------------------

  download(opts: DownloadOptions): Promise<DownloadResult> {
    return this.locked(undefined, opts.signal, async () => {
      await this.recoverIfDue(opts.signal);
      return download(this.ctx, opts);
    });
  }

  discovery(opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
    return this.locked(undefined, opts.signal, async () => {
      await this.recoverIfDue(opts.signal);
      return discovery(this.ctx, opts);
    });
  }

  /** Downloads the profile an SM-DS event points at (matchingId = eventId). */
  downloadFromEvent(
    event: EventEntry,
    opts: Omit<DownloadOptions, 'activationCode' | 'smdpAddress' | 'matchingId'>,
  ): Promise<DownloadResult> {
    return this.download({
      ...opts,
      smdpAddress: event.rspServerAddress,
      matchingId: event.eventId,
    });
  }

  // ---- profiles -----------------------------------------------------------------------

  listProfiles(request: GetProfilesInfoRequest = {}, signal?: AbortSignal): Promise<ProfileInfo[]> {
    return this.run(
      'profiles',
      'getProfilesInfo',
      (l) => getProfilesInfo(l, request, signal),
      signal,
    );
  }

  enableProfile(
    ref: ProfileRef,
    opts: { refreshFlag?: boolean; signal?: AbortSignal } = {},
  ): Promise<ProfileOperationResult> {
    let resetNeeded = false;
    const refresh = opts.refreshFlag ?? false;
    return this.profileOp('enableProfile', opts.signal, async (l) => {
      try {
        await enableProfile(l, ref, refresh, opts.signal);
      } catch (e) {
        if (!refresh || !isRefreshRefusal(e)) throw e;
        // Removable cards refuse the REFRESH request but enable without it.
        await enableProfile(l, ref, false, opts.signal);
        resetNeeded = true;
      }
    }).then((r) => (resetNeeded ? { ...r, resetNeeded: RESET_NEEDED_MESSAGE } : r));
  }

  disableProfile(
    ref: ProfileRef,
    opts: { refreshFlag?: boolean; signal?: AbortSignal } = {},
  ): Promise<ProfileOperationResult> {
    return this.profileOp('disableProfile', opts.signal, (l) =>
      disableProfile(l, ref, opts.refreshFlag ?? false, opts.signal),
    );
  }

  deleteProfile(
    ref: ProfileRef,
    opts: { signal?: AbortSignal } = {},
  ): Promise<ProfileOperationResult> {
    return this.profileOp('deleteProfile', opts.signal, (l) => deleteProfile(l, ref, opts.signal));
  }

  setNickname(iccid: string, nickname: string, signal?: AbortSignal): Promise<void> {
    return this.run(
      'profiles',
      'setNickname',
      (l) => setNickname(l, iccid, nickname, signal),
      signal,
    );
  }

  getRat(signal?: AbortSignal): Promise<RatEntry[]> {
    return this.run(
      'profiles',
      'getRat',
      // Cards before SGP.22 v2.2 have no GetRAT: no rules.
      async (l) => {
        try {
          return await getRat(l, signal);
        } catch (e) {
          if (isMissingFunction(e)) return [];
          throw e;
        }
      },
      signal,
    );
  }

  private profileOp(
    step: string,
    signal: AbortSignal | undefined,
    op: (link: Es10Link) => Promise<void>,
  ): Promise<ProfileOperationResult> {
    return this.run(
      'profiles',
      step,
      async (l) => ({ notifications: await withNotifications(this.ctx, l, () => op(l), signal) }),
      signal,
    );
  }

  // ---- notifications ------------------------------------------------------------------

  listNotifications(
    filter?: readonly NotificationEventName[],
    signal?: AbortSignal,
  ): Promise<NotificationMetadata[]> {
    return this.run(
      'notifications',
      'listNotification',
      (l) => listNotification(l, filter, signal),
      signal,
    );
  }

  /**
   * The install results among the pending notifications (sequence number -> final result), so
   * a failed installation is not shown as a success.
   */
  installResults(signal?: AbortSignal): Promise<Map<number, ProfileInstallationFinalResult>> {
    return this.run(
      'notifications',
      'retrieveNotificationsList',
      async (l) => {
        const out = new Map<number, ProfileInstallationFinalResult>();
        const list = await retrieveNotificationsList(
          l,
          { profileManagementOperation: ['install'] },
          signal,
        );
        for (const n of list) {
          if (n.kind !== 'profileInstallationResult') continue;
          try {
            out.set(n.metadata.seqNumber, decodeProfileInstallationResult(n.raw).finalResult);
          } catch {
            // An undecodable result is left out; the notification itself is still listed.
          }
        }
        return out;
      },
      signal,
    );
  }

  /** Sends one notification; on success removes it. A failed send is reported in the result. */
  sendNotification(seqNumber: number, signal?: AbortSignal): Promise<NotificationSendResult> {
    return this.run(
      'notifications',
      'handleNotification',
      (l) => sendOne(this.ctx, l, seqNumber, signal),
      signal,
    );
  }

  /** Sends every pending notification; each result says whether it was delivered and removed. */
  sendAllNotifications(signal?: AbortSignal): Promise<NotificationSendResult[]> {
    return this.run(
      'notifications',
      'handleNotification',
      (l) => sendMany(this.ctx, l, undefined, signal),
      signal,
    );
  }

  /** Removes a notification without sending it. */
  removeNotification(seqNumber: number, signal?: AbortSignal): Promise<'ok' | 'nothingToDelete'> {
    return this.run(
      'notifications',
      'removeNotificationFromList',
      (l) => removeNotificationFromList(l, seqNumber, signal),
      signal,
    );
  }

  // ---- chip ---------------------------------------------------------------------------

  getEid(signal?: AbortSignal): Promise<string> {
    return this.run('chip', 'getEid', (l) => getEid(l, signal), signal);
  }

  getEuiccInfo1(signal?: AbortSignal): Promise<EuiccInfo1> {
    return this.run('chip', 'getEuiccInfo1', (l) => getEuiccInfo1(l, this.ciOpts(signal)), signal);
  }

  getEuiccInfo2(signal?: AbortSignal): Promise<EuiccInfo2> {
    return this.run('chip', 'getEuiccInfo2', (l) => getEuiccInfo2(l, this.ciOpts(signal)), signal);
  }

  getConfiguredAddresses(signal?: AbortSignal): Promise<EuiccConfiguredAddresses> {
    return this.run(
      'chip',
      'getEuiccConfiguredAddresses',
      (l) => getEuiccConfiguredAddresses(l, signal),
      signal,
    );
  }

  /** EID, EUICCInfo2 and configured addresses in one locked operation. */
  getChipInfo(signal?: AbortSignal): Promise<ChipInfo> {
    return this.run(
      'chip',
      'getChipInfo',
      async (l) => {
        const eid = await getEid(l, signal);
        const unsupported: string[] = [];
        let euiccInfo2: EuiccInfo2;
        try {
          euiccInfo2 = await getEuiccInfo2(l, this.ciOpts(signal));
        } catch (e) {
          if (!isMissingFunction(e)) throw e;
          unsupported.push('GetEUICCInfo2');
          euiccInfo2 = info2FromInfo1(await getEuiccInfo1(l, this.ciOpts(signal)));
        }
        const addresses = await getEuiccConfiguredAddresses(l, signal);
        return unsupported.length > 0
          ? { eid, euiccInfo2, addresses, unsupported }
          : { eid, euiccInfo2, addresses };
      },
      signal,
    );
  }

  /** Sets (or with '' clears) the default SM-DP+ address. */
  setDefaultDpAddress(address: string, signal?: AbortSignal): Promise<void> {
    return this.run(
      'chip',
      'setDefaultDpAddress',
      (l) => setDefaultDpAddress(l, address, signal),
      signal,
    );
  }

  memoryReset(options: EuiccMemoryResetOptions, signal?: AbortSignal): Promise<void> {
    return this.run(
      'chip',
      'euiccMemoryReset',
      (l) => euiccMemoryReset(l, options, signal),
      signal,
    );
  }

  private ciOpts(signal?: AbortSignal): { ciNames?: CiNames; signal?: AbortSignal } {
    return {
      ...(this.ctx.ciNames ? { ciNames: this.ctx.ciNames } : {}),
      ...(signal ? { signal } : {}),
    };
  }
}
