// A webhook secret just created or rotated, shown this once: the focus goes to its Copy button
// (the thing to do now, which sits above the form and table the person was in), and "I have
// copied it" hands the focus back (onDismissed) instead of dropping it to the page with the box.
import { useEffect, useRef } from 'react';
import { CopyText } from '../../components/CopyText.tsx';

export function NewSecret({ label, secret, onDismissed }: { label: string; secret: string; onDismissed: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  // Keyed by the secret where it is used, so a second one (rotated after creating) moves the focus again.
  useEffect(() => { box.current?.querySelector<HTMLButtonElement>('button')?.focus(); }, []);
  return (
    <div ref={box} className="secret-once" role="status">
      <p><strong>Copy the new secret “{label}” now.</strong> It is shown only this once; afterwards only its first characters are.</p>
      <CopyText value={secret} label="new secret" wrap="anywhere" />
      <button type="button" className="btn btn-small" onClick={onDismissed}>I have copied it</button>
    </div>
  );
}
