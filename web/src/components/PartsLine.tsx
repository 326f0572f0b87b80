// Parts of one line of text (a customer, a person, a time, a link) with a '·' only between two
// that are present, each '·' held to the part before it by a no-break space: when the line wraps
// on a phone, no line starts with a separator. (joinPresent, lib/format.ts, joins short text with
// an ordinary space and so does not hold the '·'.) A date in a part is kept whole (WholeDates).
import { Fragment, type ReactNode } from 'react';
import { withWholeDates } from './WholeDates.tsx';

export function PartsLine({ parts, className }: { parts: readonly ReactNode[]; className?: string }) {
  const shown = parts.filter((part) => part !== null && part !== undefined && part !== false && part !== '');
  if (shown.length === 0) return null;
  return (
    <span className={`parts-line${className ? ` ${className}` : ''}`}>
      {shown.map((part, index) => <Fragment key={index}>{index > 0 ? '\u00a0· ' : null}{typeof part === 'string' ? <span>{withWholeDates(part)}</span> : part}</Fragment>)}
    </span>
  );
}
