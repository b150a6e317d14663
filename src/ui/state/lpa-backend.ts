/**
 * The one place the UI is wired to the layers below: opens the chosen link (virtual eUICC,
 * WebUSB CCID reader or WebSerial modem), wraps it in a TracingTransport for the log, opens the
 * ISD-R through the APDU layer, builds the ES9+/ES11 client from the current settings, and adapts
 * the `Lpa` class to the LpaBackend view interface. Loaded on first connect (dynamic import), so
 * none of this is in the initial bundle.
 */
import { toHex } from '../../codec/index.ts';
import type { ProfileInfo, ProfileInstallationFinalResult } from '../../es10/index.ts';
import { Lpa, type LpaProgress } from '../../lpa/index.ts';
import type {
  ChipView,
  DownloadRequest,
  DownloadResult,
  LpaBackend,
  MemoryResetOptions,
  MetadataView,
  NotificationView,
  ProfileView,
  SendReport,
  DiscoveryEvent,
} from './backend.ts';
import type { BackendFactory } from './app.svelte.ts';
import type { TransportKind } from './settings-model.ts';
import { openLink, type OpenedLink } from './links.ts';
import { makeEs9p } from './es9p-wiring.ts';
import { recoveryNotice, storeJournal } from './recovery-notice.ts';

type Ctx = Parameters<BackendFactory>[1];

function iconUrl(p: { icon?: Uint8Array; iconType?: string }): string | undefined {
  if (!p.icon || p.icon.length === 0) return undefined;
  const mime = p.iconType === 'jpg' ? 'image/jpeg' : 'image/png';
  let bin = '';
  for (const b of p.icon) bin += String.fromCharCode(b);
  return `data:${mime};base64,${btoa(bin)}`;
}

export function profileView(p: ProfileInfo): ProfileView {
  const v: ProfileView = {
    iccid: p.iccid ?? '',
    state: p.profileState ?? 'disabled',
    profileClass: p.profileClass ?? 'operational',
    policyRules: p.profilePolicyRules ?? [],
  };
  if (p.isdpAid) v.isdpAid = toHex(p.isdpAid);
  if (p.profileNickname) v.nickname = p.profileNickname;
  if (p.serviceProviderName) v.serviceProviderName = p.serviceProviderName;
  if (p.profileName) v.profileName = p.profileName;
  const url = iconUrl(p);
  if (url) v.iconUrl = url;
  return v;
}

export function metadataView(p: ProfileInfo): MetadataView {
  const v: MetadataView = { policyRules: p.profilePolicyRules ?? [] };
  if (p.iccid) v.iccid = p.iccid;
  if (p.serviceProviderName) v.serviceProviderName = p.serviceProviderName;
  if (p.profileName) v.profileName = p.profileName;
  if (p.profileClass) v.profileClass = p.profileClass;
  const url = iconUrl(p);
  if (url) v.iconUrl = url;
  return v;
}

class Backend implements LpaBackend {
  constructor(
    private readonly lpa: Lpa,
    private readonly link: OpenedLink,
    private readonly ctx: Ctx,
  ) {}

  get label(): string {
    return this.link.transport.label;
  }

  /** Runs an operation and then saves the virtual eUICC (also after a failure: it may have changed). */
  async #op<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      await this.link.persist();
    }
  }

  async chipInfo(signal?: AbortSignal): Promise<ChipView> {
    const info = await this.lpa.getChipInfo(signal);
    const i2 = info.euiccInfo2;
    const v: ChipView = {
      eid: info.eid,
      svn: i2.svn,
      profileVersion: i2.profileVersion,
      firmware: i2.euiccFirmwareVer,
      ciKeysForVerification: i2.euiccCiPKIdListForVerification,
      ciKeysForSigning: i2.euiccCiPKIdListForSigning,
      rspCapability: i2.rspCapability,
      ppVersion: i2.ppVersion,
    };
    const r = i2.extCardResource;
    if (r.freeNonVolatileMemory !== undefined) v.freeNvm = r.freeNonVolatileMemory;
    if (r.freeVolatileMemory !== undefined) v.freeRam = r.freeVolatileMemory;
    if (r.installedApplications !== undefined) v.installedApplications = r.installedApplications;
    if (i2.euiccCategory) v.euiccCategory = i2.euiccCategory;
    if (i2.sasAcreditationNumber) v.sasAccreditationNumber = i2.sasAcreditationNumber;
    if (i2.certificationDataObject) v.platformLabel = i2.certificationDataObject.platformLabel;
    if (info.addresses.defaultDpAddress) v.defaultDpAddress = info.addresses.defaultDpAddress;
    if (info.addresses.rootDsAddress) v.rootDsAddress = info.addresses.rootDsAddress;
    return v;
  }

  setDefaultDpAddress(address: string): Promise<void> {
    return this.#op(() => this.lpa.setDefaultDpAddress(address));
  }

  memoryReset(options: MemoryResetOptions): Promise<void> {
    return this.#op(() => this.lpa.memoryReset(options));
  }

  async listProfiles(): Promise<ProfileView[]> {
    return (await this.lpa.listProfiles()).map(profileView);
  }

  /** Resolves with what the user must do before the device uses the profile, if anything. */
  enableProfile(iccid: string): Promise<string | undefined> {
    return this.#op(async () => {
      const r = await this.lpa.enableProfile({ iccid }, { refreshFlag: this.link.refreshFlag });
      return r.resetNeeded;
    });
  }

  disableProfile(iccid: string): Promise<void> {
    return this.#op(async () => {
      await this.lpa.disableProfile({ iccid }, { refreshFlag: this.link.refreshFlag });
    });
  }

  deleteProfile(iccid: string): Promise<void> {
    return this.#op(async () => {
      await this.lpa.deleteProfile({ iccid });
    });
  }

  setNickname(iccid: string, nickname: string): Promise<void> {
    return this.#op(() => this.lpa.setNickname(iccid, nickname));
  }

  async listNotifications(): Promise<NotificationView[]> {
    const list = await this.lpa.listNotifications();
    // Install notifications also carry a failed installation's result (e.g. one cut off by a
    // reset): read them so such a one is not shown as "Installed".
    const results = list.some((n) => n.profileManagementOperation === 'install')
      ? await this.lpa.installResults()
      : new Map<number, ProfileInstallationFinalResult>();
    return list.map((n) => {
      const v: NotificationView = {
        seqNumber: n.seqNumber,
        operation: n.profileManagementOperation,
        address: n.notificationAddress,
      };
      if (n.iccid) v.iccid = n.iccid;
      const r = results.get(n.seqNumber);
      if (r && !r.ok) v.installFailed = r.errorReasonName;
      return v;
    });
  }

  sendNotification(seqNumber: number): Promise<void> {
    return this.#op(async () => {
      const r = await this.lpa.sendNotification(seqNumber);
      if (!r.sent || !r.removed)
        throw r.error ?? new Error(`notification ${seqNumber} was not delivered`);
    });
  }

  sendAllNotifications(): Promise<SendReport> {
    return this.#op(async () => {
      const results = await this.lpa.sendAllNotifications();
      return {
        sent: results.filter((r) => r.sent).length,
        failed: results
          .filter((r) => !r.sent || !r.removed)
          .map((r) => ({ seqNumber: r.seqNumber, error: r.error })),
      };
    });
  }

  removeNotification(seqNumber: number): Promise<void> {
    return this.#op(async () => {
      await this.lpa.removeNotification(seqNumber);
    });
  }

  download(req: DownloadRequest): Promise<DownloadResult> {
    return this.#op(async () => {
      const source = req.source;
      const target =
        source.kind === 'activationCode'
          ? { activationCode: source.activationCode }
          : source.kind === 'address'
            ? { smdpAddress: source.smdpAddress, matchingId: source.matchingId }
            : {};
      const r = await this.lpa.download({
        ...target,
        signal: req.signal,
        confirmationCode: req.confirmationCode,
        confirm: (preview) => req.confirm(metadataView(preview.metadata)),
        onProgress: (p: LpaProgress) => {
          const out: { step: string; bytesSent?: number; bytesTotal?: number } = { step: p.step };
          if (p.bytesSent !== undefined) out.bytesSent = p.bytesSent;
          if (p.bytesTotal !== undefined) out.bytesTotal = p.bytesTotal;
          req.onProgress(out);
        },
      });
      const out: DownloadResult = {};
      const iccid = r.iccid ?? r.metadata.iccid;
      if (iccid) out.iccid = iccid;
      if (r.metadata.profileName) out.profileName = r.metadata.profileName;
      if (r.metadata.serviceProviderName) out.serviceProviderName = r.metadata.serviceProviderName;
      return out;
    });
  }

  async discover(smdsAddress: string | undefined, signal: AbortSignal): Promise<DiscoveryEvent[]> {
    const r = await this.lpa.discovery(
      smdsAddress === undefined ? { signal } : { smdsAddress, signal },
    );
    return r.events.map((e) => ({ eventId: e.eventId, rspServerAddress: e.rspServerAddress }));
  }

  async close(): Promise<void> {
    await this.link.persist();
    await this.link.close();
  }
}

export const createBackend: BackendFactory = async (kind: TransportKind, ctx: Ctx) => {
  const settings = ctx.settings.current;
  const link = await openLink(kind, ctx);
  const es9p = makeEs9p(ctx);
  const deviceInfo: { tac: string; imei?: string } = { tac: settings.tac };
  if (settings.imei !== '') deviceInfo.imei = settings.imei;
  const lpa = new Lpa({
    es10: link.openIsdR,
    es9p: es9p.es9p,
    es11: es9p.es11,
    deviceInfo,
    notificationPolicy: settings.notificationPolicy,
    ...(link.ciNames ? { ciNames: link.ciNames } : {}),
    // Download sessions an unplugged reader cut off are finished on the next connection, also
    // after a reload: the journal lives in the app's store.
    journal: storeJournal(ctx.store),
    onRecovery: (results) => {
      const text = recoveryNotice(results);
      if (text !== undefined) ctx.onNotice(text);
    },
  });
  return new Backend(lpa, link, ctx);
};
