// What a typed correction of a contract term must be, the rule of the database's
// app.contract_field_value (supabase/migrations/…_contract_decisions_named_and_not_blank.sql),
// checked before sending so a wrong value is said beside its field in words ("Enter a whole
// number of days from 0 to 3650.") instead of the server's "The value of notice_period_days
// must be a whole number in range" at the top of the review. The server checks again.
import type { ContractFieldKey } from '../../../../functions-shared/contracts/fields.ts';
import { isBlankText } from '../../../../functions-shared/text.ts';

const WHOLE = /^\d{1,5}$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** Why `text` cannot be saved as the value of `key`, or null. */
export function correctionProblem(key: ContractFieldKey, text: string): string | null {
  const value = text.trim();
  switch (key) {
    case 'notice_period_days':
      return WHOLE.test(value) && Number(value) <= 3650 ? null : 'Enter a whole number of days from 0 to 3650.';
    case 'term_months':
      return WHOLE.test(value) && Number(value) >= 1 && Number(value) <= 600 ? null : 'Enter a whole number of months from 1 to 600.';
    case 'annual_value':
      return AMOUNT.test(value) ? null : 'Enter an amount of 0 or more with at most two decimals, such as 48000 or 48000.50.';
    case 'price_increase_cap_pct':
      return AMOUNT.test(value) && Number(value) <= 100 ? null : 'Enter a percentage from 0 to 100 with at most two decimals, such as 5 or 5.5.';
    case 'currency':
      return /^[A-Za-z]{3}$/.test(value) ? null : 'Enter a three-letter currency code, such as USD, EUR or GBP.';
    case 'payment_terms':
      return !isBlankText(text) && value.length <= 200 ? null : 'Enter the payment terms in at most 200 characters, such as Net 30.';
    default:
      return value === '' ? 'Choose a value.' : null;
  }
}
