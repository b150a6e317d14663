/** JSON output for the CLI: bytes as upper-case hex, errors with their codes. */
import { toHex } from '../../codec/index.ts';
import { LpaError } from '../../lpa/index.ts';
import { en } from '../../i18n/en/index.ts';
import { explain, type Explanation } from '../../i18n/explain.ts';

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

/**
 * `{error: {code (the LpaError reason), message, step?, ...protocol codes, cleanupErrors?}}`;
 * main() adds `explanation` ({title, detail, advice, codes}, see explanationOf) for a failed
 * command.
 */
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
            name === 'SmartCardAccessError' ||
              name === 'TransportClosedError' ||
              name === 'SlotEmptyError'
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

/**
 * The English explanation of a failed command, from the same texts as the app's error panel:
 * what happened, what to do, and the codes for experts. None for the CLI's own errors (a bad
 * command line or input, a locked state file), whose message already says it all.
 */
export function explanationOf(e: unknown): Explanation | undefined {
  const name = e instanceof Error ? e.name : undefined;
  if (name === 'UsageError' || name === 'CliInputError' || name === 'StateLockedError') {
    return undefined;
  }
  return explain(e, en);
}

/** The explanation as lines for a person reading the terminal (stderr). */
export function explanationLines(x: Explanation): string[] {
  return [
    `error: ${x.title}`,
    `  ${x.detail}`,
    `  what to do: ${x.advice}`,
    ...(x.codes.length > 0 ? [`  codes: ${x.codes.join('; ')}`] : []),
  ];
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
