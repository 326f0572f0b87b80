// What the app takes as an email address before sending one: the database's rule
// (app.email_address: one '@' with something on each side, no blank or invisible character
// inside), so a form can say a wrong one beside its field; the server checks again.
import { isBlankText } from '../../../functions-shared/text.ts';

export function isEmailAddress(text: string): boolean {
  const address = text.trim();
  return /^[^@\s]+@[^@\s]+$/.test(address) && ![...address].some((character) => isBlankText(character));
}
