// The editor for a definition's steps and their branches (the choices offered at a step).
// Controlled: it gets the draft and hands every change back as a new draft.
// Step and artifact types are the definition schema's lists (functions-shared/admin/workflow-definition.ts).
import { useEffect, useRef, useState } from 'react';
import { ARTIFACT_TYPES, STEP_TYPES } from '../../../../functions-shared/admin/workflow-definition.ts';
import { humanize } from '../../lib/format.ts';
import { FormField } from '../../components/FieldError.tsx';
import { BRANCH_TYPES, stepTypeLabel } from './editorWords.ts';
import type { WorkflowBranch, WorkflowDefinition, WorkflowStep } from './api.ts';

interface Props {
  draft: WorkflowDefinition;
  onChange: (draft: WorkflowDefinition) => void;
  /** The organisation's saved actions, named as the workflow page's buttons name them. */
  actions: { key: string; name: string }[];
  /**
   * Default params typed that are no JSON, as problems to fix before saving ("Step 1, choice 2
   * · Default params: …"): what was typed stays in its field, out of the draft.
   */
  onParamsProblems?: (problems: string[]) => void;
}

const PARAMS_WORDS = 'Write the params as JSON, e.g. {"days": 7}.';

/** Default params as typed: null for none, else the params, or undefined when the text is no JSON object. */
function readParams(text: string): Record<string, string | number | boolean> | null | undefined {
  if (!text.trim()) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, string | number | boolean> : undefined;
  } catch {
    return undefined;
  }
}

function nextKey(taken: string[], base: string): string {
  let n = taken.length + 1;
  while (taken.includes(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** A branch of another type keeps its key and label; the type's own fields start empty. */
function retype(branch: WorkflowBranch, type: WorkflowBranch['type']): WorkflowBranch {
  const { key, label } = branch;
  switch (type) {
    case 'fixed': return { key, label, type, response_text: '' };
    case 'llm': return { key, label, type, prompt_template: '' };
    case 'rag': return { key, label, type, allow_off_script: true };
    default: return { key, label, type: 'saved_action', saved_action_key: 'skip' };
  }
}

export function WorkflowEditor({ draft, onChange, actions, onParamsProblems }: Props) {
  const actionName = (key: string) => actions.find((action) => action.key === key)?.name ?? humanize(key);
  // The choices whose default params, as typed, are no JSON: by step and choice key.
  const [badParams, setBadParams] = useState<ReadonlySet<string>>(new Set());
  const paramsId = (stepKey: string, branchKey: string) => `${stepKey}/${branchKey}`;
  useEffect(() => {
    onParamsProblems?.(draft.steps.flatMap((step, index) => (step.branches ?? []).flatMap((branch, branchIndex) =>
      badParams.has(paramsId(step.key, branch.key)) ? [`Step ${index + 1}, choice ${branchIndex + 1} · Default params: write them as JSON, e.g. {"days": 7}`] : [])));
  }, [badParams, draft, onParamsProblems]);
  const markParams = (id: string, bad: boolean) => setBadParams((current) => {
    if (current.has(id) === bad) return current;
    const next = new Set(current);
    if (bad) next.add(id); else next.delete(id);
    return next;
  });
  const stepKeys = draft.steps.map((step) => step.key);
  const setSteps = (steps: WorkflowStep[]) => onChange({ ...draft, steps });
  const setStep = (index: number, step: WorkflowStep) => setSteps(draft.steps.map((old, i) => (i === index ? step : old)));
  // The step moved keeps the focus at its new place: the same arrow, or the other one once
  // it reaches an end (where that arrow is disabled), so ↓ pressed again moves it on.
  const editor = useRef<HTMLDivElement>(null);
  const [moved, setMoved] = useState<{ index: number; direction: 'up' | 'down' } | null>(null);
  useEffect(() => {
    if (!moved) return;
    const arrow = (direction: string) => editor.current?.querySelector<HTMLButtonElement>(`[aria-label="Move step ${moved.index + 1} ${direction}"]`);
    const same = arrow(moved.direction);
    (same && !same.disabled ? same : arrow(moved.direction === 'up' ? 'down' : 'up'))?.focus();
  }, [moved]);
  const move = (index: number, by: number) => {
    const steps = [...draft.steps];
    const [step] = steps.splice(index, 1);
    if (step) steps.splice(index + by, 0, step);
    setSteps(steps);
    setMoved({ index: index + by, direction: by < 0 ? 'up' : 'down' });
  };

  return (
    <div ref={editor}>
      {draft.steps.map((step, index) => {
        const branches = step.branches ?? [];
        const setBranch = (branchIndex: number, branch: WorkflowBranch) =>
          setStep(index, { ...step, branches: branches.map((old, i) => (i === branchIndex ? branch : old)) });
        const id = `step-${index}`;
        return (
          <section key={index} className="step-editor" aria-labelledby={`${id}-heading`}>
            <div className="step-editor-head">
              {/* The step by its title, as the CSM sees it; its key (what branches point to) after it, in words. */}
              <h3 id={`${id}-heading`} className="step-editor-title">
                Step {index + 1}: {step.title.trim() || '(no title)'} <span className="muted small">key {step.key}</span>
              </h3>
              <div className="btn-row">
                <button type="button" className="btn btn-small btn-ghost" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move step ${index + 1} up`}>↑</button>
                <button type="button" className="btn btn-small btn-ghost" disabled={index === draft.steps.length - 1} onClick={() => move(index, 1)} aria-label={`Move step ${index + 1} down`}>↓</button>
                <button type="button" className="btn btn-small btn-danger" disabled={draft.steps.length === 1} onClick={() => setSteps(draft.steps.filter((_, i) => i !== index))}>Remove step</button>
              </div>
            </div>
            <div className="form">
              <div className="field-row">
                <label className="field field-grow"><span>Step {index + 1} title</span>
                  <input value={step.title} onChange={(event) => setStep(index, { ...step, title: event.target.value })} /></label>
                <label className="field"><span>Type</span>
                  <select value={step.type} onChange={(event) => setStep(index, { ...step, type: event.target.value as WorkflowStep['type'] })}>
                    {STEP_TYPES.map((type) => <option key={type} value={type}>{stepTypeLabel(type)}</option>)}
                  </select></label>
              </div>
              <label className="field"><span>Prompt template <span className="field-hint">({'{{customer.name}}'}, {'{{data.usage}}'}… are filled in from the customer)</span></span>
                <textarea rows={3} value={step.prompt_template} onChange={(event) => setStep(index, { ...step, prompt_template: event.target.value })} /></label>
              <fieldset className="field">
                <legend>Expected artifacts</legend>
                <div className="check-row">
                  {ARTIFACT_TYPES.map((type) => (
                    <label key={type} className="check">
                      <input type="checkbox" checked={(step.artifact_types ?? []).includes(type as never)}
                        onChange={(event) => setStep(index, { ...step, artifact_types: (event.target.checked
                          ? [...(step.artifact_types ?? []), type]
                          : (step.artifact_types ?? []).filter((t) => t !== type)) as WorkflowStep['artifact_types'] })} />
                      <span>{humanize(type)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>

              <h4>Choices at this step</h4>
              {branches.map((branch, branchIndex) => (
                <div key={branchIndex} className="branch-editor">
                  <div className="field-row">
                    <label className="field field-grow"><span>Label</span>
                      <input value={branch.label} onChange={(event) => setBranch(branchIndex, { ...branch, label: event.target.value })} /></label>
                    <label className="field"><span>Kind</span>
                      <select value={branch.type} onChange={(event) => setBranch(branchIndex, retype(branch, event.target.value as WorkflowBranch['type']))}>
                        {BRANCH_TYPES.map((type) => <option key={type.value} value={type.value}>{type.label}</option>)}
                      </select></label>
                  </div>
                  {branch.type === 'fixed' ? (
                    <>
                      <label className="field"><span>Answer shown</span>
                        <textarea rows={2} value={branch.response_text} onChange={(event) => setBranch(branchIndex, { ...branch, response_text: event.target.value })} /></label>
                      <label className="field"><span>Then go to</span>
                        <select value={branch.next_step_key ?? ''} onChange={(event) => setBranch(branchIndex, { ...branch, next_step_key: event.target.value || null })}>
                          <option value="">Stay on this step</option>
                          {draft.steps.map((target) => <option key={target.key} value={target.key}>{target.title}</option>)}
                        </select></label>
                    </>
                  ) : null}
                  {branch.type === 'llm' || branch.type === 'rag' ? (
                    <>
                      <label className="field"><span>Prompt for the assistant</span>
                        <textarea rows={2} value={branch.prompt_template ?? ''} onChange={(event) => setBranch(branchIndex, { ...branch, prompt_template: event.target.value })} /></label>
                      <label className="check">
                        <input type="checkbox" checked={Boolean(branch.allow_off_script)} onChange={(event) => setBranch(branchIndex, { ...branch, allow_off_script: event.target.checked })} />
                        <span>Allow questions off the script</span>
                      </label>
                    </>
                  ) : null}
                  {branch.type === 'saved_action' ? (
                    <div className="field-row">
                      <label className="field"><span>Action</span>
                        <select value={branch.saved_action_key} onChange={(event) => setBranch(branchIndex, { ...branch, saved_action_key: event.target.value })}>
                          {[...new Set([branch.saved_action_key, ...actions.map((action) => action.key)])].map((key) => <option key={key} value={key}>{actionName(key)}</option>)}
                        </select></label>
                      <label className="field"><span>Then return to</span>
                        <select value={branch.return_step_key ?? ''} onChange={(event) => setBranch(branchIndex, { ...branch, return_step_key: event.target.value || null })}>
                          <option value="">This step</option>
                          {draft.steps.map((target) => <option key={target.key} value={target.key}>{target.title}</option>)}
                        </select></label>
                      <FormField className="field field-grow" label={<>Default params <span className="field-hint">(JSON, e.g. {'{"days": 7}'})</span></>}
                        error={badParams.has(paramsId(step.key, branch.key)) ? PARAMS_WORDS : null}>
                        {(control) => (
                          <input {...control} key={JSON.stringify(branch.config?.defaults ?? null)} defaultValue={branch.config?.defaults ? JSON.stringify(branch.config.defaults) : ''}
                            onBlur={(event) => {
                              // Said beside the field in words (never the browser's bubble); the draft keeps its last good params.
                              const defaults = readParams(event.target.value);
                              markParams(paramsId(step.key, branch.key), defaults === undefined);
                              if (defaults !== undefined) setBranch(branchIndex, { ...branch, config: defaults ? { defaults } : null });
                            }} />
                        )}
                      </FormField>
                    </div>
                  ) : null}
                  <div><button type="button" className="btn btn-small btn-ghost" onClick={() => setStep(index, { ...step, branches: branches.filter((_, i) => i !== branchIndex) })}>Remove choice</button></div>
                </div>
              ))}
              <div>
                <button type="button" className="btn btn-small" onClick={() => setStep(index, { ...step, branches: [...branches,
                  { key: nextKey(branches.map((b) => b.key), 'choice'), label: '', type: 'llm', prompt_template: '' }] })}>Add a choice</button>
              </div>
            </div>
          </section>
        );
      })}
      <button type="button" className="btn" onClick={() => setSteps([...draft.steps,
        { key: nextKey(stepKeys, 'step'), title: '', type: 'review', prompt_template: '', artifact_types: [], branches: [] }])}>Add a step</button>
    </div>
  );
}
