// The priority score with its factors on hover, on keyboard focus and on a tap or a click
// (a touch screen has neither hover nor, in Safari, focus on a tap): "why is this first?".
// A second press, Escape or a press elsewhere closes what a press opened.
import { useCallback, useId, useRef, useState } from 'react';
import { useCloseOnOutside } from '../../hooks/useCloseOnOutside.ts';
import type { PriorityFactors } from '../../lib/types.ts';
import { describeFactors } from './priorityFactors.ts';
import { formatWhole } from '../../lib/format.ts';

export function PriorityScore({ score, factors, typeLabels }: {
  score: number;
  factors: PriorityFactors | null;
  /** Workflow type → its label (the lookup, list_workflow_types). */
  typeLabels?: Readonly<Record<string, string>>;
}) {
  const tipId = useId();
  const lines = describeFactors(factors, typeLabels);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useCloseOnOutside(open, root, useCallback(() => setOpen(false), []));
  return (
    <span className="priority has-tip" ref={root} data-open={open || undefined}>
      <button type="button" className="priority-score" aria-describedby={tipId} aria-expanded={open}
        aria-label={`Priority ${formatWhole(score)}`} onClick={(event) => { event.stopPropagation(); setOpen((was) => !was); }}>
        {formatWhole(score)}
      </button>
      <span role="tooltip" id={tipId} className="tip">
        <span className="tip-title">Why this priority<span className="visually-hidden">: </span></span>
        {lines.length === 0 ? <span className="tip-line">No factors recorded.</span> : (
          <span className="tip-lines">
            {lines.map((line) => (
              <span key={line.key} className="tip-line"><span>{line.label}<span className="visually-hidden">: </span></span><span className="num">{line.value}<span className="visually-hidden">; </span></span></span>
            ))}
          </span>
        )}
        <span className="tip-line tip-total"><span>Priority<span className="visually-hidden"> = </span></span><span className="num">{formatWhole(score)}</span></span>
      </span>
    </span>
  );
}
