// A line of text with each date in it kept whole: in a narrow column or on a phone the line
// wraps between its words, never inside "9 Dec 2026" ("9 Dec / 2026"). The text is unchanged.
import type { ReactNode } from 'react';

/** A date as lib/format.ts writes it: "9 Dec 2026", "22 Sept 2026". */
const A_DATE = /(\d{1,2} [A-Z][a-z]{2,4} \d{4})/;

export function withWholeDates(text: string): ReactNode[] {
  return text.split(A_DATE).map((part, index) => (index % 2 === 1 ? <span key={index} className="date-whole">{part}</span> : part));
}
