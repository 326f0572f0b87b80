// A customer's activity, newest first, with "Log a note / call / meeting" on top for those
// who may work the customer. Older entries load by keyset cursor.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { formatDateTime, humanize, joinPresent, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { ErrorState, InlineError, LoadingState } from '../../components/States.tsx';
import { FormField } from '../../components/FieldError.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { PartsLine } from '../../components/PartsLine.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { engagementLabel, LoggableEngagementKind, type TimelineKind } from '../../../../functions-shared/api/index.ts';
import { customerApi, type TimelineEntry } from './api.ts';
import { useKeptText } from '../../hooks/useKeptText.ts';

/** What may be logged: log_engagement's kinds (the API's enum), in its order. */
const KINDS = LoggableEngagementKind.options;
/** The timeline's kinds (the API's TimelineKind) in groups a person picks from. */
const FILTERS: [string, string, TimelineKind[] | null][] = [
  ['all', 'Everything', null],
  ['engagement', 'Conversations', ['engagement']],
  ['work', 'Workflows and actions', ['workflow_started', 'workflow_completed', 'action', 'artifact_approved', 'email']],
  ['changes', 'Stage, plan, forecast and outcomes', ['stage_change', 'plan_change', 'forecast_change', 'renewal_outcome']],
];

/** Local date-time for <input type="datetime-local"> (minutes). */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * The AI client that logged an entry for the person (the MCP server's log_engagement records
 * its name as details.logged_by_agent), said as an agent's draft says it: the words are the
 * agent's, and a reader is not left to take them for the person's.
 */
export function loggedByAgent(entry: TimelineEntry): string | null {
  const details = entry.details?.details;
  const agent = details && typeof details === 'object' && !Array.isArray(details) ? details.logged_by_agent : undefined;
  return entry.kind === 'engagement' && typeof agent === 'string' && agent.trim() !== '' ? `logged by the agent ${agent.trim()}` : null;
}

export function entryLabel(entry: TimelineEntry): string {
  if (entry.kind === 'engagement') return engagementLabel(entry.subtype);
  if (entry.kind === 'email') return 'Email';
  if (entry.kind === 'action') return 'Action';
  return humanize(entry.kind);
}

/**
 * What is wrong with "When", in words, before asking the server, whose rule it is
 * (log_engagement: what happened, up to five minutes ahead for a skewed clock, within the
 * last ten years); null when it may be sent.
 */
function whenProblem(when: string, now = new Date()): string | null {
  const at = new Date(when).getTime();
  if (!when || Number.isNaN(at)) return 'Choose when it happened.';
  if (at > now.getTime() + 5 * 60_000) return 'This time is still to come: log what has happened, and plan what is coming as a task.';
  const tenYearsAgo = new Date(now);
  tenYearsAgo.setFullYear(now.getFullYear() - 10);
  if (at < tenYearsAgo.getTime()) return 'Choose a time within the last ten years.';
  return null;
}

export function LogEngagementForm({ customerId, onLogged }: { customerId: string; onLogged: () => void }) {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const [kind, setKind] = useState<LoggableEngagementKind>('call');
  const [when, setWhen] = useState(localNow);
  // Untouched, "When" means now (to the second), so what was just logged is the newest entry.
  const [whenEdited, setWhenEdited] = useState(false);
  // What was typed and not logged yet is kept for the tab under the person and the customer
  // (lib/unsentText.ts, as the chat keeps its message): opening the workflow to check a detail
  // and coming back, or a reload, finds it still there; logged, it is forgotten.
  const draftKey = `${profile.id}:log:${customerId}`;
  const [summary, setSummary] = useKeptText(draftKey);
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState<string | null>(null);
  // Nothing said, or a time that cannot be logged, is said beside its field (useFieldProblem).
  const problem = useFieldProblem<'summary' | 'when'>();
  const summaryBox = useRef<HTMLTextAreaElement>(null);
  const whenBox = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const whenWrong = whenEdited ? whenProblem(when) : null;
    if (whenWrong) {
      problem.show('when', whenWrong, whenBox.current);
      return;
    }
    if (!summary.trim()) {
      problem.show('summary', 'Say in a few words what happened.', summaryBox.current);
      return;
    }
    problem.clear();
    void run(async () => {
      setDone(null);
      // Sent with a key kept while its answer is unknown (lib/pendingKeys.ts): the same entry
      // logged again after a lost answer or a reload is one entry. "When" left at now is not
      // part of what is the same.
      const occurredAt = whenEdited ? new Date(when).toISOString() : null;
      await sendOnce(`${profile.id}:log_engagement:${customerId}`, { kind, occurredAt, summary: summary.trim() }, newId(),
        (key) => calls.logEngagement(customerId, kind, occurredAt ?? new Date().toISOString(), summary.trim(), {}, key));
      setSummary('');
      setWhen(localNow());
      setWhenEdited(false);
      setDone(`${humanize(kind)} logged.`);
      onLogged();
    });
  }

  return (
    <form className="log-form" onSubmit={submit} aria-label="Log activity" noValidate>
      <div className="log-form-row">
        <fieldset className="segmented" aria-label="What to log">
          {KINDS.map((value) => (
            <label key={value}><input type="radio" name="log-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />{humanize(value)}</label>
          ))}
        </fieldset>
        <FormField label="When" error={problem.of('when')}>
          {(control) => <DateInput {...control} ref={whenBox} type="datetime-local" value={when} max={localNow()} onChange={(event) => { setWhen(event.target.value); setWhenEdited(true); problem.changed('when'); }} />}
        </FormField>
      </div>
      <FormField label="What happened" error={problem.of('summary')}>
        {(control) => <textarea ref={summaryBox} {...control} rows={2} value={summary} onChange={(event) => { setSummary(event.target.value); problem.changed('summary'); }}
          placeholder="e.g. Walked the CFO through the renewal quote; she wants a 2-year option." />}
      </FormField>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : `Log ${humanize(kind).toLowerCase()}`}</button>
        {done ? <span className="muted" role="status">{done}</span> : null}
      </div>
      <InlineError error={error} />
    </form>
  );
}

/** `onLogged`: something was logged here (a call is the customer's last contact: the page reads its context anew). */
export function Timeline({ customerId, canLog, refreshKey = 0, onLogged }: { customerId: string; canLog: boolean; refreshKey?: number; onLogged?: () => void }) {
  const { api } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const [filter, setFilter] = useState('all');
  const [items, setItems] = useState<TimelineEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const kinds = FILTERS.find(([key]) => key === filter)?.[2] ?? null;

  const load = useCallback(async (after: string | null) => {
    const page = await calls.getTimeline(customerId, after, kinds);
    return page;
  }, [calls, customerId, kinds]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    load(null).then((page) => {
      if (!live) return;
      setItems(page.items);
      setCursor(page.next_cursor);
    }).catch((caught: unknown) => { if (live) setError(caught); }).finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [load, refreshKey, tick]);

  async function loadMore() {
    if (!cursor || more) return;
    setMore(true);
    try {
      const page = await load(cursor);
      setItems((current) => [...current, ...page.items]);
      setCursor(page.next_cursor);
    } catch (caught) {
      setError(caught);
    } finally {
      setMore(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="timeline-title">
      <div className="panel-head">
        <h2 id="timeline-title">Activity</h2>
        <label className="field field-inline"><span className="visually-hidden">Show</span>
          <select value={filter} onChange={(event) => setFilter(event.target.value)} aria-label="Show in the timeline">
            {FILTERS.map(([key, label]) => <option key={key} value={key}>{label}</option>)}
          </select></label>
      </div>
      {canLog ? <LogEngagementForm customerId={customerId} onLogged={() => { setTick((n) => n + 1); onLogged?.(); }} /> : null}
      {loading && items.length === 0 ? <LoadingState label="Loading the timeline…" rows={3} /> : null}
      {error && items.length === 0 ? <ErrorState error={error} title="The timeline could not be loaded" onRetry={() => setTick((n) => n + 1)} /> : null}
      {!loading && !error && items.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      {items.length > 0 ? (
        <ol className="timeline" data-testid="timeline">
          {items.map((entry) => (
            // Its id is where a citation of it lands (citationHref: #engagement-…, #email-…).
            <li key={`${entry.kind}-${entry.id}`} id={`${entry.kind}-${entry.id}`} className={`timeline-${entry.kind}`} data-testid="timeline-entry">
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <div className="timeline-title">{joinPresent([entryLabel(entry), entry.title])}</div>
                {entry.summary && entry.summary !== entry.title ? <p className="timeline-summary">{entry.summary}</p> : null}
                <div className="sub"><PartsLine parts={[
                  <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>,
                  entry.actor?.full_name,
                  loggedByAgent(entry),
                  entry.execution_id ? <Link href={paths.workflow(entry.execution_id)}>Open the workflow</Link> : null,
                ]} /></div>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {cursor ? <div className="list-foot"><button type="button" className="btn" onClick={() => void loadMore()} disabled={more}>{more ? 'Loading…' : 'Show older'}</button></div> : null}
      {error && items.length > 0 ? <InlineError error={error} /> : null}
    </section>
  );
}
