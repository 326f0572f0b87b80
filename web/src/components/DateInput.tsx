// A native date (or date-and-time) field with the value chosen said under it the way the app
// says dates everywhere else: "Thu, 10 Dec 2026".
//
// Why: a native field shows its value in the order of the browser's language (03/04/2027 is
// 4 March in one and 3 April in another) and a page cannot change that (Chrome ignores `lang`
// on <input type="date">). Its picker — a calendar on a laptop, the wheels on a phone — and
// typing are worth keeping, so the field stays native and the words under it, tied to it by
// aria-describedby, remove the doubt. The words sit outside the <label>, so the field's name
// stays its label.
import { useId, type InputHTMLAttributes, type Ref } from 'react';
import { formatFieldDate } from '../lib/format.ts';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value'> & {
  type?: 'date' | 'datetime-local';
  value: string;
  /** The field itself, for a form that puts the focus in it (a problem said beside it). */
  ref?: Ref<HTMLInputElement>;
};

export function DateInput({ type = 'date', value, ref, ...props }: Props) {
  const wordsId = useId();
  const words = formatFieldDate(value);
  const describedBy = [props['aria-describedby'], words ? wordsId : null].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <input {...props} ref={ref} type={type} value={value} aria-describedby={describedBy} />
      {words ? <span id={wordsId} className="field-readout" data-testid="date-words">{words}</span> : null}
    </>
  );
}
