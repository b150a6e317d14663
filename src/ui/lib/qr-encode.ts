/**
 * QR codes for the EID and activation codes, drawn as one SVG path. The symbol itself (ISO/IEC
 * 18004: segment modes, so an EID goes in numeric mode; error correction level M, raised when the
 * chosen version has room; mask by the penalty rules) comes from the lean-qr package.
 */
import { correction, generate } from 'lean-qr';

export class QrEncodeError extends Error {
  override readonly name = 'QrEncodeError';
}

/** lean-qr's error code for data that does not fit version 40 at the requested level. */
const LEAN_QR_TOO_MUCH_DATA = 4;

/** Modules of light margin around the symbol, as ISO/IEC 18004 asks. */
export const QUIET_ZONE = 4;

export interface QrSvg {
  /** "M x y h1v1h-1z" per dark module, in module units, already offset by the quiet zone. */
  path: string;
  /** Side of the square viewBox: the symbol plus the quiet zone on both sides. */
  size: number;
}

function leanQrCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** The SVG path of the QR code for `text`. Throws QrEncodeError when the text does not fit. */
export function qrSvg(text: string): QrSvg {
  let code: ReturnType<typeof generate>;
  try {
    code = generate(text, { minCorrectionLevel: correction.M });
  } catch (err) {
    if (leanQrCode(err) === LEAN_QR_TOO_MUCH_DATA)
      throw new QrEncodeError(`text too long for a QR code (${text.length} characters)`);
    throw new QrEncodeError(`cannot encode this text as a QR code: ${String(err)}`);
  }
  let path = '';
  for (let y = 0; y < code.size; y++)
    for (let x = 0; x < code.size; x++)
      if (code.get(x, y)) path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
  return { path, size: code.size + 2 * QUIET_ZONE };
}
