/**
 * Reading QR codes: from the camera (getUserMedia, then frames) and from images (picked, dropped
 * or pasted). The browser's BarcodeDetector decodes them when it reads 'qr_code'; otherwise
 * jsQR does, on canvas pixels. jsQR is a dynamic import loaded only in that case, so it stays
 * out of the initial bundle and is never fetched where BarcodeDetector works.
 */
import { messages } from '../state/i18n.svelte.ts';

/** Why no code came out: none in the picture, a picture that cannot be read, no camera. */
export type QrErrorReason = 'noCode' | 'badImage' | 'noCamera';

export class QrError extends Error {
  override readonly name = 'QrError';
  constructor(
    readonly reason: QrErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** The part of the Shape Detection API's BarcodeDetector used here (not in the DOM typings). */
export interface QrDetector {
  detect(source: ImageBitmapSource): Promise<readonly { rawValue: string }[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

/**
 * A BarcodeDetector reading QR codes, when `scope` (the page's global object) has one whose
 * supported formats include 'qr_code'; undefined otherwise.
 */
export async function createQrDetector(
  scope: object = globalThis,
): Promise<QrDetector | undefined> {
  const ctor = (scope as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (typeof ctor !== 'function') return undefined;
  try {
    const formats = await ctor.getSupportedFormats();
    if (!formats.includes('qr_code')) return undefined;
    return new ctor({ formats: ['qr_code'] });
  } catch {
    return undefined;
  }
}

let detectorPromise: Promise<QrDetector | undefined> | undefined;

/** createQrDetector() for this page, asked once. */
export function qrDetector(): Promise<QrDetector | undefined> {
  detectorPromise ??= createQrDetector();
  return detectorPromise;
}

/** The first QR code BarcodeDetector finds in `source`; undefined when none or on failure. */
async function detect(
  detector: QrDetector,
  source: ImageBitmapSource,
): Promise<string | undefined> {
  const codes = await detector.detect(source);
  return codes.find((c) => c.rawValue !== '')?.rawValue;
}

type JsQr = typeof import('jsqr').default;
let jsQrPromise: Promise<JsQr> | undefined;

export function loadJsQr(): Promise<JsQr> {
  jsQrPromise ??= import('jsqr').then((m) => m.default);
  return jsQrPromise;
}

export async function decodePixels(
  data: Uint8ClampedArray,
  width: number,
  height: number,
  thorough = false,
): Promise<string | undefined> {
  const jsQR = await loadJsQr();
  const result = jsQR(data, width, height, {
    inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert',
  });
  return result?.data;
}

/** Decodes a QR code in an image file; tries the full size, then a reduced one for big photos. */
export async function decodeImageFile(file: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new QrError('badImage', messages().add.image.notAnImage);
  }
  try {
    const detector = await qrDetector();
    if (detector) {
      let text: string | undefined;
      let failed = false;
      try {
        text = await detect(detector, bitmap);
      } catch {
        failed = true; // the detector could not read this image: jsQR tries below
      }
      if (text !== undefined) return text;
      if (!failed) throw new QrError('noCode', messages().add.image.noCode);
    }
    for (const maxSide of [1600, 800]) {
      const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      const w = Math.max(1, Math.round(bitmap.width * scale));
      const h = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) break;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(bitmap, 0, 0, w, h);
      const text = await decodePixels(ctx.getImageData(0, 0, w, h).data, w, h, true);
      if (text !== undefined) return text;
    }
  } finally {
    bitmap.close();
  }
  throw new QrError('noCode', messages().add.image.noCode);
}

export type Facing = 'environment' | 'user';

/** Camera scanning on a <video>: frames are sampled every ~150 ms until a code is read. */
export class CameraScanner {
  #stream: MediaStream | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #detector: QrDetector | undefined;

  constructor(
    private readonly media: MediaDevices,
    private readonly video: HTMLVideoElement,
    private readonly onCode: (text: string) => void,
  ) {}

  async start(facing: Facing): Promise<void> {
    this.stop();
    this.#stopped = false;
    this.#detector = await qrDetector();
    if (!this.#detector) await loadJsQr();
    try {
      this.#stream = await this.media.getUserMedia({
        video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (e) {
      if (e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'NotFoundError'))
        throw e;
      throw new QrError('noCamera', messages().add.camera.notStarted);
    }
    this.video.srcObject = this.#stream;
    this.video.muted = true;
    this.video.playsInline = true;
    await this.video.play();
    this.#tick();
  }

  get torchSupported(): boolean {
    const track = this.#stream?.getVideoTracks()[0];
    if (!track || typeof track.getCapabilities !== 'function') return false;
    const caps = track.getCapabilities() as MediaTrackCapabilities & { torch?: boolean };
    return caps.torch === true;
  }

  async setTorch(on: boolean): Promise<void> {
    const track = this.#stream?.getVideoTracks()[0];
    if (!track) return;
    // `torch` is an image-capture constraint not yet in the DOM typings.
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#stream = undefined;
    this.video.srcObject = null;
  }

  #tick(): void {
    this.#timer = setTimeout(() => {
      void this.#scanFrame();
    }, 150);
  }

  async #scanFrame(): Promise<void> {
    if (this.#stopped) return;
    const w = this.video.videoWidth;
    const h = this.video.videoHeight;
    if (w > 0 && h > 0 && this.#detector) {
      const text = await detect(this.#detector, this.video).catch(() => undefined);
      if (text !== undefined && !this.#stopped) {
        this.stop();
        this.onCode(text);
        return;
      }
    } else if (w > 0 && h > 0) {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (ctx) {
        ctx.drawImage(this.video, 0, 0, w, h);
        const text = await decodePixels(ctx.getImageData(0, 0, w, h).data, w, h);
        if (text !== undefined && !this.#stopped) {
          this.stop();
          this.onCode(text);
          return;
        }
      }
    }
    if (!this.#stopped) this.#tick();
  }
}
