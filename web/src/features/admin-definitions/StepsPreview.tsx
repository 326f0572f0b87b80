// The steps as a CSM will see them on a new execution: in order, with what each expects
// and the choices the assistant offers there.
import type { WorkflowDefinition } from './api.ts';

const TYPE_WORDS: Record<string, string> = { review: 'Review', analysis: 'Analysis', draft: 'Draft', meeting: 'Meeting', action: 'Action', outcome: 'Outcome' };

export function StepsPreview({ definition }: { definition: WorkflowDefinition }) {
  return (
    <ol className="steps-preview" aria-label="Steps as a CSM sees them">
      {definition.steps.map((step, index) => (
        <li key={`${step.key}-${index}`} className={index === 0 ? 'steps-preview-current' : undefined}>
          <div className="steps-preview-head">
            <span className="steps-preview-number" aria-hidden="true">{index + 1}</span>
            <strong>{step.title || <span className="muted">(no title)</span>}</strong>
            <span className="badge">{TYPE_WORDS[step.type] ?? step.type}</span>
          </div>
          {(step.artifact_types ?? []).length > 0 ? (
            <p className="small muted">Produces: {(step.artifact_types ?? []).map((type) => type.replace(/_/g, ' ')).join(', ')}</p>
          ) : null}
          {(step.branches ?? []).length > 0 ? (
            <div className="btn-row">
              {(step.branches ?? []).map((branch, branchIndex) => (
                <span key={`${branch.key}-${branchIndex}`} className="btn btn-small steps-preview-choice">{branch.label || '(no label)'}</span>
              ))}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
