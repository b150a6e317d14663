/**
 * The shape of the app's texts: the English module's type. Every other language is typed
 * `Messages`, so the compiler refuses a missing key, an extra key, or a message function whose
 * parameters differ from English (tests/unit/i18n/parity.test.ts checks the values too).
 */
import type { en } from './en/index.ts';

export type Messages = typeof en;
