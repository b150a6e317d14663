/**
 * Turns any error the layers below throw into plain words, a next step and the codes for experts,
 * in the app's current language. The explaining itself lives in src/i18n/explain.ts (shared with
 * the command line); this module only ties it to the language rune.
 *
 * The words are looked up when read (`ErrorView.title` etc. call `messages()`), so an error on
 * screen follows a change of language. Codes for experts stay untranslated.
 */
import type { Messages } from '../../i18n/index.ts';
import type { ErrorText } from '../../i18n/en/errors.ts';
import { errorCodes, errorMessage, errorText } from '../../i18n/explain.ts';
import { messages } from './i18n.svelte.ts';

export {
  causeChain,
  isKnownError,
  type KnownError,
  type KnownErrorName,
} from '../../i18n/explain.ts';

type ErrorTexts = Messages['errors'];

/** What the user sees of an error; the words follow the current language. */
export class ErrorView {
  readonly #text: (m: ErrorTexts) => ErrorText;
  constructor(
    text: (m: ErrorTexts) => ErrorText,
    /** Codes for experts, e.g. "Es9pError 8.2.6/3.8", "SW 6A82" (never translated). */
    readonly codes: readonly string[],
    /** The error's own (technical, English) message, for experts. */
    readonly message: string,
  ) {
    this.#text = text;
  }
  get title(): string {
    return this.#text(messages().errors).title;
  }
  /** What happened, in plain words. */
  get detail(): string {
    return this.#text(messages().errors).detail;
  }
  /** What the user can do next. */
  get advice(): string {
    return this.#text(messages().errors).advice;
  }
}

/** Describes an error for the user. Never throws. */
export function describeError(error: unknown): ErrorView {
  return new ErrorView((m) => errorText(error, m), errorCodes(error), errorMessage(error));
}
