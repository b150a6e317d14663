/** A scripted card for batch runner tests: no APDUs, profiles in a list, calls recorded. */
import type { BatchLpa, CardSlot } from '../../../src/batch/index.ts';
import { eidWithCheckDigits } from '../../../src/codec/index.ts';
import type { ProfileInfo, ProfileRef } from '../../../src/es10/index.ts';
import type {
  DownloadOptions,
  DownloadResult,
  NotificationSendResult,
  ProfileOperationResult,
} from '../../../src/lpa/index.ts';
import { LpaError } from '../../../src/lpa/index.ts';

export function eidOf(i: number): string {
  return eidWithCheckDigits(`8904903200000000000000000${String(i).padStart(5, '0')}`);
}

const sent = (
  op: NotificationSendResult['profileManagementOperation'],
): NotificationSendResult => ({
  seqNumber: 1,
  profileManagementOperation: op,
  notificationAddress: 'smdp.example.com',
  sent: true,
  removed: true,
});

export interface FakeHooks {
  /** Runs before each download; may throw. */
  beforeDownload?: (card: FakeCard, opts: DownloadOptions) => Promise<void> | void;
}

let iccidCounter = 0;

export class FakeCard implements BatchLpa {
  readonly calls: string[] = [];
  profiles: ProfileInfo[] = [];
  constructor(
    readonly eid: string,
    private readonly hooks: FakeHooks = {},
  ) {}

  getEid(): Promise<string> {
    return Promise.resolve(this.eid);
  }

  listProfiles(): Promise<ProfileInfo[]> {
    this.calls.push('list');
    return Promise.resolve(this.profiles.map((p) => ({ ...p })));
  }

  async download(opts: DownloadOptions): Promise<DownloadResult> {
    this.calls.push(
      `download ${opts.activationCode ?? `${opts.smdpAddress ?? ''}/${opts.matchingId ?? ''}`}`,
    );
    await this.hooks.beforeDownload?.(this, opts);
    const iccid = `89990010000${String(++iccidCounter).padStart(8, '0')}`;
    const metadata: ProfileInfo = { iccid, profileState: 'disabled' };
    this.profiles.push(metadata);
    return {
      smdpAddress: 'smdp.example.com',
      iccid,
      isdpAid: new Uint8Array(16),
      metadata,
      notification: sent('install'),
    };
  }

  private find(ref: ProfileRef): ProfileInfo {
    const p = this.profiles.find((x) => 'iccid' in ref && x.iccid === ref.iccid);
    if (!p)
      throw new LpaError('es10', 'no such profile', {
        details: { resultName: 'iccidOrAidNotFound' },
      });
    return p;
  }

  enableProfile(ref: ProfileRef): Promise<ProfileOperationResult> {
    this.calls.push('enable');
    this.find(ref).profileState = 'enabled';
    return Promise.resolve({ notifications: [{ ...sent('enable'), sent: false, kept: true }] });
  }

  disableProfile(ref: ProfileRef): Promise<ProfileOperationResult> {
    this.calls.push('disable');
    this.find(ref).profileState = 'disabled';
    return Promise.resolve({ notifications: [] });
  }

  deleteProfile(ref: ProfileRef): Promise<ProfileOperationResult> {
    this.calls.push('delete');
    const p = this.find(ref);
    this.profiles = this.profiles.filter((x) => x !== p);
    return Promise.resolve({ notifications: [sent('delete')] });
  }

  setNickname(iccid: string, nickname: string): Promise<void> {
    this.calls.push(`nickname ${nickname}`);
    this.find({ iccid }).profileNickname = nickname;
    return Promise.resolve();
  }
}

export function slotOf(card: FakeCard, label = `fake ${card.eid.slice(-4)}`): CardSlot {
  return {
    label,
    open: () => Promise.resolve({ lpa: card, close: () => Promise.resolve() }),
  };
}
