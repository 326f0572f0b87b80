// The workflow's steps in order, with their status; choosing one shows it. On a phone the list
// is a strip that scrolls sideways: a fade marks the side with more steps, and the step shown
// is brought into view, so the current step is never off the edge unseen.
import { useEffect, useRef } from 'react';
import type { WorkflowStep } from '../../lib/types.ts';
import { humanize } from '../../lib/format.ts';
import { bringIntoStrip, useSideOverflow } from '../../hooks/useSideOverflow.ts';

const ICON: Record<string, string> = { completed: '✓', skipped: '↷', in_progress: '●', pending: '' };

export function StepList({ steps, selectedKey, onSelect }: { steps: WorkflowStep[]; selectedKey: string | null; onSelect: (key: string) => void }) {
  const list = useRef<HTMLOListElement>(null);
  const more = useSideOverflow(list, [steps.length]);

  useEffect(() => {
    const item = list.current?.querySelector<HTMLElement>('[aria-current="step"]')?.closest('li');
    if (list.current && item) bringIntoStrip(list.current, item);
  }, [selectedKey, steps.length]);

  return (
    <nav className="steps scroll-fade" aria-label="Steps" data-more-left={more.left || undefined} data-more-right={more.right || undefined}>
      <ol ref={list}>
        {steps.map((step, index) => (
          <li key={step.key}>
            <button type="button" className={`step step-${step.status}${step.key === selectedKey ? ' step-selected' : ''}`}
              aria-current={step.key === selectedKey ? 'step' : undefined} onClick={() => onSelect(step.key)}>
              <span className="step-dot" aria-hidden="true">{ICON[step.status] || index + 1}</span>
              <span className="step-text">
                <span className="step-title">{step.title}</span>
                <span className="step-status">{humanize(step.status)}</span>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
