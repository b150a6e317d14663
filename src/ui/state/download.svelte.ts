/**
 * The "add a profile" flow as UI state: the form (kept across failures so nothing typed is lost),
 * the prompts the LPA asks for (confirmation code only when required, consent with metadata), the
 * progress, cancel, and the result. The flow itself runs in the lpa layer via LpaBackend.download.
 */
import type {
  DiscoveryEvent,
  DownloadProgress,
  DownloadResult,
  DownloadSource,
  LpaBackend,
  MetadataView,
} from './backend.ts';
import { describeError, type ErrorView } from './errors.ts';
import type { Messages } from '../../i18n/index.ts';

export type AddMethod = 'scan' | 'image' | 'code' | 'address' | 'discover';
export type DownloadPhase = 'idle' | 'running' | 'askCode' | 'consent' | 'done' | 'failed';

/** The lpa layer's step names (spec function names) that have a text in plain words. */
export type StepName = keyof Messages['download']['steps'];

/** A step's text in plain words (from `steps`, the current language's), or undefined if it has none. */
export function stepLabel(steps: Messages['download']['steps'], step: string): string | undefined {
  return Object.hasOwn(steps, step) ? steps[step as StepName] : undefined;
}

export const STEP_ORDER: readonly StepName[] = [
  'initiateAuthentication',
  'authenticateServer',
  'authenticateClient',
  'consent',
  'prepareDownload',
  'getBoundProfilePackage',
  'loadBoundProfilePackage',
  'handleNotification',
];

/** Runs a callback before the next paint (requestAnimationFrame in a page). */
export type FrameScheduler = (callback: () => void) => void;

function defaultFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function')
    requestAnimationFrame(() => {
      callback();
    });
  else setTimeout(callback, 16);
}

export class DownloadState {
  method: AddMethod = $state('code');
  activationCode = $state('');
  smdpAddress = $state('');
  matchingId = $state('');
  /** Held only until it is handed to the LPA; never persisted. */
  confirmationCodeInput = $state('');

  phase: DownloadPhase = $state('idle');
  step = $state('');
  stepsSeen: string[] = $state([]);
  bytesSent: number | undefined = $state();
  bytesTotal: number | undefined = $state();
  metadata: MetadataView | undefined = $state();
  result: DownloadResult | undefined = $state();
  error: ErrorView | undefined = $state();
  codeRetry = $state(false);

  events: DiscoveryEvent[] = $state([]);
  discovering = $state(false);
  discoveryError: ErrorView | undefined = $state();

  #abort: AbortController | undefined;
  readonly #frame: FrameScheduler;
  /** Byte progress not yet shown: applied once per animation frame, not once per segment. */
  #pendingBytes: { sent?: number; total?: number } | undefined;
  #codeAnswer: ((code: string | null) => void) | undefined;
  #consentAnswer: ((ok: boolean) => void) | undefined;

  constructor(options: { frame?: FrameScheduler } = {}) {
    this.#frame = options.frame ?? defaultFrame;
  }

  get running(): boolean {
    return this.phase === 'running' || this.phase === 'askCode' || this.phase === 'consent';
  }

  get progressFraction(): number {
    const i = (STEP_ORDER as readonly string[]).indexOf(this.step);
    const base = i < 0 ? 0 : i / STEP_ORDER.length;
    if (this.step === 'loadBoundProfilePackage' && this.bytesTotal && this.bytesSent !== undefined)
      return base + (this.bytesSent / this.bytesTotal) * (1 / STEP_ORDER.length);
    return this.phase === 'done' ? 1 : base;
  }

  source(): DownloadSource {
    if (this.method === 'address')
      return {
        kind: 'address',
        smdpAddress: this.smdpAddress.trim(),
        matchingId: this.matchingId.trim(),
      };
    return { kind: 'activationCode', activationCode: this.activationCode.trim() };
  }

  /** Runs a download; resolves once it finished, failed or was cancelled. */
  async start(
    backend: LpaBackend,
    source: DownloadSource,
    hooks: { onSecret: (s: string) => void; onFinished: (ok: boolean) => void },
  ): Promise<void> {
    if (this.running) return;
    this.#abort = new AbortController();
    this.#pendingBytes = undefined;
    this.phase = 'running';
    this.step = '';
    this.stepsSeen = [];
    this.bytesSent = undefined;
    this.bytesTotal = undefined;
    this.metadata = undefined;
    this.result = undefined;
    this.error = undefined;
    this.codeRetry = false;
    if (source.kind === 'address') hooks.onSecret(source.matchingId);
    if (source.kind === 'activationCode') {
      const parts = source.activationCode.split('$');
      if (parts[2]) hooks.onSecret(parts[2]);
    }
    try {
      const result = await backend.download({
        source,
        signal: this.#abort.signal,
        onProgress: (p) => {
          this.#progress(p);
        },
        confirmationCode: () =>
          new Promise<string | null>((resolve) => {
            this.phase = 'askCode';
            this.#progress({ step: 'confirmationCode' });
            this.#codeAnswer = (code) => {
              this.#codeAnswer = undefined;
              this.phase = 'running';
              if (code !== null) hooks.onSecret(code);
              resolve(code);
            };
          }),
        confirm: (metadata) =>
          new Promise<boolean>((resolve) => {
            this.metadata = metadata;
            this.phase = 'consent';
            this.#progress({ step: 'consent' });
            this.#consentAnswer = (ok) => {
              this.#consentAnswer = undefined;
              this.phase = 'running';
              resolve(ok);
            };
          }),
      });
      this.#flushBytes();
      this.result = result;
      this.phase = 'done';
      this.step = 'done';
      this.confirmationCodeInput = '';
      hooks.onFinished(true);
    } catch (e) {
      this.#flushBytes();
      this.error = describeError(e);
      this.phase = 'failed';
      hooks.onFinished(false);
    } finally {
      this.#abort = undefined;
      this.#codeAnswer = undefined;
      this.#consentAnswer = undefined;
    }
  }

  #progress(p: DownloadProgress): void {
    const bytesOnly =
      p.step === this.step && (p.bytesSent !== undefined || p.bytesTotal !== undefined);
    if (bytesOnly) {
      // Per-segment updates of the same step: keep the latest, show it at the next frame.
      const first = this.#pendingBytes === undefined;
      this.#pendingBytes = {
        ...this.#pendingBytes,
        ...(p.bytesSent !== undefined ? { sent: p.bytesSent } : {}),
        ...(p.bytesTotal !== undefined ? { total: p.bytesTotal } : {}),
      };
      if (first)
        this.#frame(() => {
          this.#flushBytes();
        });
      return;
    }
    this.#flushBytes();
    this.step = p.step;
    if (!this.stepsSeen.includes(p.step)) this.stepsSeen.push(p.step);
    if (p.bytesSent !== undefined) this.bytesSent = p.bytesSent;
    if (p.bytesTotal !== undefined) this.bytesTotal = p.bytesTotal;
  }

  #flushBytes(): void {
    const pending = this.#pendingBytes;
    if (!pending) return;
    this.#pendingBytes = undefined;
    if (pending.sent !== undefined) this.bytesSent = pending.sent;
    if (pending.total !== undefined) this.bytesTotal = pending.total;
  }

  giveCode(): void {
    this.#codeAnswer?.(this.confirmationCodeInput.trim());
  }

  answerConsent(ok: boolean): void {
    this.#consentAnswer?.(ok);
  }

  cancel(): void {
    // Answer any open prompt first so the flow can unwind, then abort whatever is in flight.
    this.#codeAnswer?.(null);
    this.#consentAnswer?.(false);
    this.#abort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  /** Back to the form, keeping what was typed. */
  reset(): void {
    if (this.running) return;
    this.phase = 'idle';
    this.error = undefined;
    this.result = undefined;
    this.metadata = undefined;
  }

  /** After a successful download the form is cleared (kiosk mode returns to the start). */
  clearForm(): void {
    this.activationCode = '';
    this.smdpAddress = '';
    this.matchingId = '';
    this.confirmationCodeInput = '';
  }

  async discover(backend: LpaBackend, smdsAddress: string | undefined): Promise<void> {
    this.discovering = true;
    this.discoveryError = undefined;
    this.events = [];
    const abort = new AbortController();
    this.#abort = abort;
    try {
      this.events = await backend.discover(smdsAddress, abort.signal);
    } catch (e) {
      this.discoveryError = describeError(e);
    } finally {
      this.discovering = false;
      if (this.#abort === abort) this.#abort = undefined;
    }
  }
}
