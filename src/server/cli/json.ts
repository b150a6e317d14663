/** JSON output for the CLI: bytes as upper-case hex, errors with their codes. */
import { toHex } from '../../codec/index.ts';
import { LpaError } from '../../lpa/index.ts';

export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v instanceof Uint8Array) return toHex(v);
      if (v instanceof LpaError) return errorJson(v).error;
      if (v instanceof Error) return { name: v.name, message: v.message };
      return v;
    },
    2,
  );
}

export interface ErrorJson {
  error: { code: string; message: string; [key: string]: unknown };
}

/** `{error: {code (the LpaError reason), message, step?, ...protocol codes, cleanupErrors?}}`. */
export function errorJson(e: unknown, extra: Record<string, unknown> = {}): ErrorJson {
  if (e instanceof LpaError) {
    return {
      error: {
        code: e.reason,
        message: e.message,
        ...(e.step !== undefined ? { step: e.step } : {}),
        ...e.details,
        ...(e.cleanupErrors.length > 0
          ? {
              cleanupErrors: e.cleanupErrors.map((c) =>
                c instanceof Error ? `${c.name}: ${c.message}` : String(c),
              ),
            }
          : {}),
        ...previewOf(e),
        ...extra,
      },
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.name : 'Error';
  const code =
    name === 'UsageError'
      ? 'usage'
      : name === 'CliInputError'
        ? 'badInput'
        : name === 'StateLockedError'
          ? 'stateLocked'
          : // A reader that cannot be used (PcscError is one) or a card that went away: the
            // same code the LPA gives these inside an operation.
            name === 'SmartCardAccessError' || name === 'TransportClosedError'
            ? 'transport'
            : 'internal';
  const fields = (e ?? {}) as {
    holderPid?: unknown;
    reason?: unknown;
    problem?: unknown;
    responseCode?: unknown;
  };
  const holder = fields.holderPid;
  return {
    error: {
      code,
      message,
      ...(typeof holder === 'number' ? { holderPid: holder } : {}),
      ...(code === 'transport' && typeof fields.reason === 'string'
        ? { reason: fields.reason }
        : {}),
      ...(code === 'transport' && typeof fields.problem === 'string'
        ? { problem: fields.problem }
        : {}),
      ...(code === 'transport' && typeof fields.responseCode === 'string'
        ? { responseCode: fields.responseCode }
        : {}),
      ...extra,
    },
  };
}

/** A mistake in the command line itself (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A bad file or value given on the command line (exit code 1). */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

/** The consent preview the CLI attaches to a consentRefused error. */
function previewOf(e: object): { preview?: unknown } {
  const p = (e as { preview?: unknown }).preview;
  return p === undefined ? {} : { preview: p };
}
