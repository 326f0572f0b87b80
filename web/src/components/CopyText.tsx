// A value to copy (an address, a secret): shown in full, with a Copy button whose result is
// said in a status line a screen reader announces. An address wraps only after a '/' (never
// inside a word, as "inges|t" would); a secret, one long token, wraps anywhere. Where the
// browser refuses the clipboard (no permission, a page not served over https), the value is
// selected and the line says how to copy it.
import { Fragment, useRef, useState } from 'react';

/** Pieces of an address, each ending after a '/' (the '//' of "http://" kept whole). */
export function addressPieces(value: string): string[] {
  return value.split(/(?<=\/)(?!\/)/);
}

export function CopyText({ value, label, wrap = 'address' }: {
  value: string;
  /** What it is, in words: "ingest URL" → "Copy the ingest URL", "Copied the ingest URL." */
  label: string;
  wrap?: 'address' | 'anywhere';
}) {
  const shown = useRef<HTMLElement>(null);
  const [said, setSaid] = useState('');
  const Label = label.charAt(0).toUpperCase() + label.slice(1);

  async function copy() {
    setSaid('');
    try {
      await navigator.clipboard.writeText(value);
      setSaid(`Copied the ${label}.`);
    } catch {
      const selection = window.getSelection();
      if (shown.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(shown.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setSaid(`The ${label} could not be copied here: it is selected, copy it with Ctrl+C (⌘C on a Mac).`);
    }
  }

  return (
    <div className="copy-text">
      <code ref={shown} className={`admin-code copy-text-value copy-text-${wrap}`} aria-label={Label}>
        {wrap === 'address'
          ? addressPieces(value).map((piece, index) => <Fragment key={index}>{index > 0 ? <wbr /> : null}{piece}</Fragment>)
          : value}
      </code>
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        Copy<span className="visually-hidden"> the {label}</span>
      </button>
      <p className="copy-text-said small muted" role="status">{said}</p>
    </div>
  );
}
