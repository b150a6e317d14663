// QR fixtures for the browser tests, generated at test time (nothing binary is committed):
// - a PNG of a QR code (for the "upload an image" journey), via lean-qr's PNG export;
// - a Y4M video of a QR code (for Chromium's fake camera, --use-file-for-fake-video-capture),
//   written by hand: YUV4MPEG2 header, then FRAME + Y plane + U + V (4:2:0), grey QR on white.
//
// Usage: node scripts/make-qr-fixtures.mjs <outdir> "<text>"
import { correction, generate } from 'lean-qr';
import { toPngBuffer } from 'lean-qr/extras/node_export';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The QR symbol for `text` (level M, raised when the version has room), as the app draws it. */
function qrCode(text) {
  return generate(text, { minCorrectionLevel: correction.M });
}

/**
 * PNG bytes of a QR code for `text`: black on opaque white (lean-qr's default background is
 * transparent), a 4-module quiet zone, at most `width` pixels wide.
 */
export async function qrPng(text, width = 400) {
  const code = qrCode(text);
  const scale = Math.max(1, Math.floor(width / (code.size + 8)));
  return Buffer.from(
    toPngBuffer(code, { on: [0, 0, 0, 255], off: [255, 255, 255, 255], pad: 4, scale }),
  );
}

/**
 * A Y4M video (width x height, `frames` frames) showing the QR code for `text` centred, each
 * module `scale` pixels. Chromium loops the file as the camera feed.
 */
export function qrY4m(text, { width = 640, height = 480, frames = 4, scale = 8 } = {}) {
  const qr = qrCode(text);
  const n = qr.size;
  const side = n * scale;
  if (side + 8 * scale > Math.min(width, height))
    throw new Error('QR code too large for the frame');
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const y = Buffer.alloc(width * height, 235); // white in video range (BT.601: 16..235)
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.get(c, r))
        for (let dy = 0; dy < scale; dy++)
          y.fill(
            16,
            (y0 + r * scale + dy) * width + x0 + c * scale,
            (y0 + r * scale + dy) * width + x0 + (c + 1) * scale,
          );
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128); // no colour
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), y, chroma, chroma]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

export async function writeFixtures(outDir, text) {
  mkdirSync(outDir, { recursive: true });
  const png = join(outDir, 'qr.png');
  const y4m = join(outDir, 'qr.y4m');
  writeFileSync(png, await qrPng(text));
  writeFileSync(y4m, qrY4m(text));
  return { png, y4m };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outDir = 'test-results/fixtures', text = 'LPA:1$testsmdpplus1.example.com$WEBLPA-PLAIN'] =
    process.argv.slice(2);
  const files = await writeFixtures(outDir, text);
  console.log(JSON.stringify(files));
}
