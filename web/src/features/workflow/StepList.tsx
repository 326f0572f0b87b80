// The workflow's steps in order, with their status; choosing one shows it.
import type { WorkflowStep } from '../../lib/types.ts';
import { humanize } from '../../lib/format.ts';

const ICON: Record<string, string> = { completed: '✓', skipped: '↷', in_progress: '●', pending: '' };

export function StepList({ steps, selectedKey, onSelect }: { steps: WorkflowStep[]; selectedKey: string | null; onSelect: (key: string) => void }) {
  return (
    <nav className="steps" aria-label="Steps">
      <ol>
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
