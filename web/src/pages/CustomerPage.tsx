// One customer, everything in one place: who they are and when they renew (with the notice
// deadline), open and past workflows, tasks, the activity timeline with "Log a note / call /
// meeting", artifacts, contracts, and the context panel (health, ARR and usage charts,
// engagement, account team, stakeholders). Everything loads in parallel.
// Other areas mount their parts here: contract documents go in the Contracts section.
import { useMemo, useState } from 'react';
import { useReturnFocus } from '../hooks/useReturnFocus.ts';
import { PartsLine } from '../components/PartsLine.tsx';
import { withWholeDates } from '../components/WholeDates.tsx';
import { canAct, mayWorkOn, useWorkspace } from '../lib/context.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { typedRpc } from '../lib/api.ts';
import { formatDate, formatDaysUntil, formatMoney, formatRange, humanize } from '../lib/format.ts';
import { navigate, paths, useRevisit } from '../lib/router.ts';
import { ApiError } from '../lib/errors.ts';
import { Link } from '../components/Link.tsx';
import { Badge, PlanBadge, StageBadge, StatusBadge } from '../components/Badges.tsx';
import { RenewalDate } from '../components/RenewalDate.tsx';
import { ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice } from '../components/ActionNotice.tsx';
import { ContextView } from '../features/context/ContextPanel.tsx';
import { TrendChart } from '../features/context/TrendChart.tsx';
import { LANE_LABEL, LANE_TONE } from '../features/queue/lanes.ts';
import { customerApi, type CustomerOverview, type CustomerWorkflow, type StartableWorkflow } from '../features/customers/api.ts';
import { Timeline } from '../features/customers/Timeline.tsx';
import { HistorySearch } from '../features/customers/HistorySearch.tsx';
import { ChangeCsm } from '../features/customers/ChangeCsm.tsx';
import { CreateTaskForm, hasTaskDraft } from '../features/tasks/CreateTaskForm.tsx';
import { TaskDescription } from '../features/tasks/TaskDescription.tsx';
import { TaskAgent } from '../features/tasks/TaskAgent.tsx';
import { ContractDocuments } from '../features/contracts/ContractDocuments.tsx';
import '../features/customers/customers.css';
import { ArtifactStatusBadge } from '../features/artifacts/ArtifactStatusBadge.tsx';

function WorkflowItem({ workflow }: { workflow: CustomerWorkflow }) {
  const step = workflow.current_step_index !== null && workflow.open ? `step ${workflow.current_step_index + 1} of ${workflow.total_steps}` : `${workflow.total_steps} steps`;
  return (
    <li data-testid="customer-workflow">
      <div className="item-main">
        <Link href={paths.workflow(workflow.execution_id)} className="item-title">{workflow.workflow_name}</Link>
        <div className="sub">
          {workflow.lane ? <Badge tone={LANE_TONE[workflow.lane] ?? 'neutral'}>{LANE_LABEL[workflow.lane] ?? workflow.lane}</Badge> : null}
          <StatusBadge status={workflow.status} />
          <span>{step}</span>
          {workflow.assignee ? <span>· {workflow.assignee.full_name}</span> : null}
          {workflow.status === 'snoozed' && workflow.snoozed_until ? <span>· until {formatDate(workflow.snoozed_until)}</span> : null}
        </div>
      </div>
      <span className="small muted">{workflow.open ? `opened ${formatDate(workflow.created_at)}` : `closed ${formatDate(workflow.completed_at ?? workflow.created_at)}`}</span>
    </li>
  );
}

/** The workflow create_workflow_execution's conflict names as already open, if that is the refusal. */
function openWorkflowOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.isConflict) return null;
  const id = typeof error.details === 'string' ? error.details : '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
}

function StartWorkflow({ customerId, options }: { customerId: string; options: StartableWorkflow[] }) {
  const { api } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = options.find((option) => option.key === key);

  async function start() {
    if (!chosen || busy) return;
    if (chosen.open_execution_id) { navigate(paths.workflow(chosen.open_execution_id)); return; }
    setBusy(true);
    setError(null);
    try {
      const execution = await calls.createExecution(customerId, chosen.key);
      navigate(paths.workflow(execution.id));
    } catch (caught) {
      // Open already (Start pressed again after a lost answer, or a colleague's): the server
      // names the open one (PT409, its id as the details), and Start opens it, as 'Open it' does.
      const open = openWorkflowOf(caught);
      if (open) { navigate(paths.workflow(open)); return; }
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <div className="start-workflow">
      <div className="btn-row">
        <label className="field field-inline"><span>Start a workflow</span>
          <select value={key} onChange={(event) => setKey(event.target.value)}>
            <option value="">Choose…</option>
            {options.map((option) => (
              <option key={option.key} value={option.key}>{option.name}{option.open_execution_id ? ' (open)' : ''}</option>
            ))}
          </select></label>
        <button type="button" className="btn" onClick={() => void start()} disabled={!chosen || busy}>
          {busy ? 'Starting…' : chosen?.open_execution_id ? 'Open it' : 'Start'}
        </button>
      </div>
      <InlineError error={error} />
    </div>
  );
}

export function CustomerPage({ customerId }: { customerId: string }) {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const writer = canAct(profile);
  const taskNotice = useActionNotice();
  const csmNotice = useActionNotice();
  // Open again when a task for this customer was typed and not created (left mid-task, or a reload).
  const [creating, setCreating] = useState(() => writer && hasTaskDraft(profile.id, customerId));
  const newTask = useReturnFocus<HTMLButtonElement>();
  const [timelineKey, setTimelineKey] = useState(0);

  const context = useAsync(() => typedRpc(api.client)('get_customer_context', { customer_id: customerId }), [api, customerId]);
  const overview = useAsync<CustomerOverview>(() => calls.getOverview(customerId), [calls, customerId]);
  // A hand-over's notification clicked while the customer is shown: its work, context and timeline anew.
  useRevisit(() => {
    void overview.reload();
    void context.reload();
    setTimelineKey((n) => n + 1);
  });

  const data = overview.data;
  if (overview.error && !data) {
    return (
      <div className="page">
        <ErrorState error={overview.error} title="This customer could not be opened" onRetry={() => void overview.reload()}
          notFound={{ text: 'There is no customer at this address: it may have been mistyped, or it belongs to another organisation.', href: paths.customers, label: 'Back to Customers' }} />
      </div>
    );
  }
  const customer = data?.customer;
  const open = (data?.workflows ?? []).filter((workflow) => workflow.open);
  const past = (data?.workflows ?? []).filter((workflow) => !workflow.open);
  const health = (data?.health_history ?? []).flatMap((point) => (point.health_score === null ? [] : [{
    key: point.recorded_at, label: formatDate(point.recorded_at).replace(/ \d{4}$/, ''), value: point.health_score,
  }]));

  return (
    <div className="page customer-page" data-testid="customer-page">
      <div className="wf-crumbs"><Link href={paths.customers}>← Customers</Link></div>
      {!customer ? <LoadingState label="Loading the customer…" rows={6} /> : (
        <header className="customer-head">
          <div>
            <h1>{customer.name}</h1>
            <div className="sub">
              <StageBadge stage={customer.renewal_stage} />
              <PlanBadge plan={customer.account_plan} />
              <span>{formatMoney(customer.arr)} ARR</span>
              <span>health {customer.health_score ?? '—'}</span>
              <RenewalDate renewalDate={customer.renewal_date} decisionDate={customer.decision_date}
                daysUntilRenewal={customer.days_until_renewal} daysUntilDecision={customer.days_until_decision} />
              {customer.domain ? <span>· {customer.domain}</span> : null}
            </div>
          </div>
          <div className="btn-row">
            <ChangeCsm customerId={customerId} customerName={customer.name} csmId={customer.assigned_to}
              onChanged={(notice) => { csmNotice.show(notice, { takeFocus: true }); void overview.reload(); void context.reload(); setTimelineKey((n) => n + 1); }} />
            {writer && data ? <StartWorkflow customerId={customerId} options={data.startable_workflows ?? []} /> : null}
          </div>
        </header>
      )}
      <ActionNotice notice={csmNotice} />

      <div className="customer-grid">
        <div className="customer-main">
          <section className="panel" aria-labelledby="open-workflows">
            <div className="panel-head"><h2 id="open-workflows">Open workflows</h2></div>
            {!data ? <LoadingState label="Loading workflows…" /> : open.length === 0 ? <p className="muted">No open work for this customer.</p> : (
              <ul className="item-list">{open.map((workflow) => <WorkflowItem key={workflow.execution_id} workflow={workflow} />)}</ul>
            )}
          </section>

          <section className="panel" aria-labelledby="customer-tasks">
            <div className="panel-head">
              <h2 id="customer-tasks">Tasks</h2>
              {writer && !creating ? <button ref={newTask.ref} type="button" className="btn btn-small" onClick={() => { setCreating(true); taskNotice.clear(); }}>New task</button> : null}
            </div>
            <ActionNotice notice={taskNotice} />
            {creating && customer ? (
              <CreateTaskForm customer={{ id: customer.id, name: customer.name }} onCancel={() => { setCreating(false); newTask.returnFocus(); }}
                onCreated={(_task, message) => { taskNotice.show(message, { takeFocus: true }); setCreating(false); void overview.reload(); setTimelineKey((n) => n + 1); }} />
            ) : null}
            {!data ? <LoadingState label="Loading tasks…" /> : null}
            {data && (data.tasks ?? []).length === 0 ? <p className="muted">No open tasks.</p> : null}
            {data && (data.tasks ?? []).length > 0 ? (
              <ul className="item-list" data-testid="customer-tasks">
                {data.tasks.map((task) => (
                  <li key={task.id}>
                    <div className="item-main">
                      <div className="item-title">{task.title}</div>
                      <TaskDescription text={task.description} />
                      <TaskAgent agent={task.created_by_agent} />
                      <div className="sub">
                        <StatusBadge status={task.status} />
                        <Badge tone={task.priority === 'urgent' ? 'danger' : task.priority === 'high' ? 'warning' : 'neutral'}>{humanize(task.priority)}</Badge>
                        {/* when, whose and where from, as the Tasks page says it: a '·' only between parts shown, the link saying what it opens */}
                        <PartsLine parts={[
                          <span className={task.is_overdue ? 'text-urgent' : undefined}>{withWholeDates(task.due_date ? `due ${formatDate(task.due_date)} (${formatDaysUntil(task.days_until_deadline)})` : 'no due date')}</span>,
                          task.status === 'snoozed' && task.snoozed_until ? <span className="task-until">{withWholeDates(`snoozed until ${formatDate(task.snoozed_until)}`)}</span> : null,
                          task.assignee && task.assigned_to !== profile.id ? task.assignee.full_name : null,
                          task.execution_id ? <Link href={paths.workflow(task.execution_id)}>Open the workflow</Link> : null,
                        ]} />
                      </div>
                    </div>
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          {data ? <HistorySearch customerId={customerId} customerName={data.customer.name} /> : null}

          <Timeline customerId={customerId} canLog={writer} refreshKey={timelineKey} onLogged={() => void context.reload()} />

          {health.length > 1 ? (
            <section className="panel" aria-labelledby="health-chart">
              <div className="panel-head"><h2 id="health-chart">Health over the last year</h2></div>
              <TrendChart subject="Health score" caption={`health score, ${formatRange(0, 100)}`} format={(value) => String(Math.round(value))} points={health} testId="health-chart" />
            </section>
          ) : null}

          <section className="panel" aria-labelledby="contracts">
            <div className="panel-head"><h2 id="contracts">Contracts</h2></div>
            {!data ? <LoadingState label="Loading contracts…" /> : data.contracts.length === 0 ? <p className="muted">No contract recorded.</p> : (
              <ul className="item-list">
                {data.contracts.map((contract) => (
                  <li key={contract.id} data-testid="customer-contract">
                    <div className="item-main">
                      <div className="item-title">{contract.contract_number ?? 'Contract'} <StatusBadge status={contract.status} /></div>
                      <div className="small muted"><PartsLine parts={[
                        formatRange(contract.start_date, contract.end_date, formatDate),
                        contract.annual_value !== null ? `${formatMoney(contract.annual_value)} a year` : null,
                        contract.auto_renew ? `renews automatically${contract.notice_period_days ? `, ${contract.notice_period_days} days' notice` : ''}` : 'does not renew automatically',
                      ]} /></div>
                      {contract.notice_deadline ? (
                        <div className={`small${(contract.days_until_notice_deadline ?? 99) < 30 ? ' text-urgent' : ''}`}>
                          Notice deadline {formatDate(contract.notice_deadline)} ({formatDaysUntil(contract.days_until_notice_deadline)})
                        </div>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            )}
            <ContractDocuments customerId={customerId} orgId={profile.org_id} canEdit={customer !== undefined && mayWorkOn(profile, customer.assigned_to)}
              onContractChanged={() => { void overview.reload(); void context.reload(); }} />
          </section>

          <section className="panel" aria-labelledby="artifacts">
            <div className="panel-head"><h2 id="artifacts">Artifacts</h2></div>
            {!data ? <LoadingState label="Loading artifacts…" /> : data.artifacts.length === 0 ? <p className="muted">No artifacts yet.</p> : (
              <ul className="item-list">
                {data.artifacts.map((artifact) => (
                  <li key={artifact.id} id={`artifact-${artifact.id}`}>
                    <div className="item-main">
                      <Link href={paths.workflow(artifact.execution_id)} className="item-title">{artifact.title}</Link>
                      <div className="sub"><span>{humanize(artifact.artifact_type)}</span><span>· {artifact.workflow_name}</span>
                        <ArtifactStatusBadge sendState={artifact.send_state} approvedAt={artifact.approved_at} /></div>
                    </div>
                    <span className="small muted">{formatDate(artifact.created_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="panel" aria-labelledby="past-workflows">
            <div className="panel-head"><h2 id="past-workflows">Past workflows</h2></div>
            {!data ? <LoadingState label="Loading workflows…" /> : past.length === 0 ? <p className="muted">None yet.</p> : (
              <ul className="item-list">{past.map((workflow) => <WorkflowItem key={workflow.execution_id} workflow={workflow} />)}</ul>
            )}
          </section>
        </div>

        <aside className="customer-side context-panel-static" aria-label="Customer context">
          {context.loading && !context.data ? <LoadingState label="Loading the context…" /> : null}
          {context.error ? <ErrorState error={context.error} title="The context could not be loaded" onRetry={() => void context.reload()} /> : null}
          {context.data ? <ContextView context={context.data} /> : null}
        </aside>
      </div>
    </div>
  );
}
