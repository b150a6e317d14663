/**
 * QR decoding prefers the browser's BarcodeDetector when it reads 'qr_code'; jsQR is imported
 * only when there is no such detector (or it fails on an image).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const jsQrLoads = vi.hoisted(() => ({ count: 0, answer: undefined as string | undefined }));

vi.mock('jsqr', () => {
  jsQrLoads.count++;
  return {
    default: () => (jsQrLoads.answer === undefined ? null : { data: jsQrLoads.answer }),
  };
});

function detectorClass(formats: string[], found: string[] | Error) {
  return class {
    static getSupportedFormats(): Promise<string[]> {
      return Promise.resolve(formats);
    }
    constructor(readonly options: { formats: string[] }) {}
    detect(): Promise<{ rawValue: string }[]> {
      if (found instanceof Error) return Promise.reject(found);
      return Promise.resolve(found.map((rawValue) => ({ rawValue })));
    }
  };
}

/** A stand-in for createImageBitmap and the canvas jsQR reads from. */
function stubImagePipeline(): void {
  vi.stubGlobal('createImageBitmap', () =>
    Promise.resolve({ width: 40, height: 30, close: () => {} }),
  );
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return {
          fillStyle: '',
          fillRect: () => {},
          drawImage: () => {},
          getImageData: (_x: number, _y: number, w: number, h: number) => ({
            data: new Uint8ClampedArray(w * h * 4),
          }),
        };
      }
    },
  );
}

beforeEach(async () => {
  vi.resetModules();
  // A fresh module graph has no texts loaded yet: load English as the app does before mounting.
  await (await import('../../../src/ui/state/i18n.svelte.ts')).setLocale('en');
  jsQrLoads.count = 0;
  jsQrLoads.answer = undefined;
  stubImagePipeline();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createQrDetector', () => {
  it('gives a detector only when qr_code is supported', async () => {
    const { createQrDetector } = await import('../../../src/ui/lib/qr-scan.ts');
    expect(await createQrDetector({})).toBeUndefined();
    const noQr = { BarcodeDetector: detectorClass(['ean_13'], []) };
    expect(await createQrDetector(noQr)).toBeUndefined();
    const qr = { BarcodeDetector: detectorClass(['ean_13', 'qr_code'], ['x']) };
    expect(await createQrDetector(qr)).toBeDefined();
    const broken = {
      BarcodeDetector: Object.assign(function BarcodeDetector() {}, {
        getSupportedFormats: (): Promise<string[]> => Promise.reject(new Error('no')),
      }),
    };
    expect(await createQrDetector(broken)).toBeUndefined();
  });
});

describe('decodeImageFile', () => {
  it('uses BarcodeDetector and never loads jsQR when qr_code is supported', async () => {
    vi.stubGlobal('BarcodeDetector', detectorClass(['qr_code'], ['LPA:1$a.example$ID']));
    const { decodeImageFile } = await import('../../../src/ui/lib/qr-scan.ts');
    expect(await decodeImageFile(new Blob())).toBe('LPA:1$a.example$ID');
    expect(jsQrLoads.count).toBe(0);
  });

  it('says noCode from the detector alone when it finds nothing', async () => {
    vi.stubGlobal('BarcodeDetector', detectorClass(['qr_code'], []));
    const { decodeImageFile, QrError } = await import('../../../src/ui/lib/qr-scan.ts');
    await expect(decodeImageFile(new Blob())).rejects.toBeInstanceOf(QrError);
    expect(jsQrLoads.count).toBe(0);
  });

  it('falls back to jsQR without a QR-capable detector, or when it fails', async () => {
    jsQrLoads.answer = 'LPA:1$b.example$ID';
    vi.stubGlobal('BarcodeDetector', detectorClass(['ean_13'], []));
    let mod = await import('../../../src/ui/lib/qr-scan.ts');
    expect(await mod.decodeImageFile(new Blob())).toBe('LPA:1$b.example$ID');
    expect(jsQrLoads.count).toBe(1);
    vi.resetModules();
    vi.stubGlobal('BarcodeDetector', detectorClass(['qr_code'], new Error('unsupported image')));
    mod = await import('../../../src/ui/lib/qr-scan.ts');
    expect(await mod.decodeImageFile(new Blob())).toBe('LPA:1$b.example$ID');
  });
});
