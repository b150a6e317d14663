/** A batch plan's problems (src/batch/plan.ts) in the user's language, for the Batch view. */
import type { PlanProblem } from '../../batch/index.ts';
import type { Messages } from '../../i18n/index.ts';

/**
 * What is wrong with a plan, in the words of `m` (the current language's texts). The switch is
 * exhaustive: a new kind of problem without a text fails the typecheck. Values from the plan (an
 * EID, an ICCID) stay as given.
 */
export function planProblemText(m: Messages, p: PlanProblem): string {
  const t = m.batch.problems;
  switch (p.kind) {
    case 'badActivationCode':
      return m.errors.activationCode.reasons[p.reason];
    case 'confirmationCodeTooLong':
      return t.confirmationCodeTooLong(p.max);
    case 'nicknameTooLong':
      return t.nicknameTooLong(p.maxBytes);
    case 'badEid':
    case 'eidCheckDigits':
    case 'notBoolean':
    case 'badIccid':
      return t[p.kind](p.value);
    case 'eidTwice':
      return t.eidTwice(p.eid, p.firstRow);
    case 'fieldCount':
      return t.fieldCount(p.got, p.want);
    case 'csvSyntax':
      return t.csvSyntax[p.reason](p.line);
    case 'notText':
    case 'notString':
    case 'acAndSmdp':
    case 'badSmdpAddress':
    case 'badMatchingId':
    case 'noAddress':
    case 'matchingIdWithoutSmdp':
    case 'confirmationCodeMissing':
    case 'noRows':
    case 'empty':
    case 'unknownColumn':
    case 'columnTwice':
    case 'notJson':
    case 'jsonShape':
    case 'rowNotObject':
      return t[p.kind];
    default: {
      const unworded: never = p;
      return unworded;
    }
  }
}
