// Email addresses that wrap between their parts — after the '@', before a '.', after a list's
// comma — never inside a word ("olivia.sato@litware.exampl|e" on a phone's narrow line), as
// CopyText wraps an address after a '/'. The text is unchanged: copied, it is the addresses.
import { Fragment } from 'react';

/** The pieces of a line of addresses: "olivia.sato@litware.example" → olivia, .sato@, litware, .example. */
export function addressParts(text: string): string[] {
  return text.split(/(?<=@)|(?=\.)/);
}

export function EmailAddresses({ text }: { text: string }) {
  return <>{addressParts(text).map((part, index) => <Fragment key={index}>{index > 0 ? <wbr /> : null}{part}</Fragment>)}</>;
}
