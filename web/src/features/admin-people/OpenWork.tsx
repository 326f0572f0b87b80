// A deactivated person's open work, handed to someone the admin chooses: all of it at once
// ("Hand everything to": one request, hand_over_work, which also moves the customers they are
// CSM of and tells the new owner once), or item by item. Nobody is chosen for them — every list starts on
// "Choose a person…" — since one Reassign pressed without looking would otherwise give the
// work to whoever sorts first.
import { useCallback, useEffect, useRef, useState } from 'react';
import { FieldError } from '../../components/FieldError.tsx';
import { InlineError } from '../../components/States.tsx';
import { Link } from '../../components/Link.tsx';
import { countOf, formatDate, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { paths } from '../../lib/router.ts';
import type { AdminApi, OpenWork as OpenWorkData, Person } from './api.ts';
import { canTakeWork, choiceName } from '../../lib/people.ts';

/** A status key in the words of a sentence ("in_progress" → "in progress"). */
const statusWords = (status: string) => status.replace(/_/g, ' ');

type Item = { kind: 'execution' | 'task'; id: string; label: string; detail: string; href?: string };

export function OpenWork({ admin, work, leaver, people }: { admin: AdminApi; work: OpenWorkData; leaver: Person; people: Person[] }) {
  const candidates = people.filter((p) => p.id !== leaver.id && canTakeWork({ role: p.role, deactivated: !p.active }));
  const items: Item[] = [
    ...work.executions.map((e) => ({ kind: 'execution' as const, id: e.id, label: `${e.workflow_name ?? 'Workflow'} · ${e.customer.name}`, detail: statusWords(e.status), href: paths.workflow(e.id) })),
    ...work.tasks.map((t) => ({ kind: 'task' as const, id: t.id, label: `${t.title} · ${t.customer.name}`, detail: t.due_date ? `due ${formatDate(t.due_date)}` : statusWords(t.status) })),
  ];
  const [done, setDone] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [allTo, setAllTo] = useState('');
  // An item (or "all") Reassign was pressed for with nobody chosen: said beside its list.
  const [unchosen, setUnchosen] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The customers they are CSM of: moved only with everything else (one at a time: Change CSM on the customer's page).
  const [customersLeft, setCustomersLeft] = useState(work.customers);
  // Shown once the person is deactivated, in place of the button pressed: it takes the focus.
  const focusOnShow = useCallback((node: HTMLElement | null) => node?.focus(), []);
  // An item handed over trades its Reassign for "Handed to …", which then holds the focus.
  const [justHanded, setJustHanded] = useState<string | null>(null);
  const handedLine = useRef<HTMLSpanElement>(null);
  useEffect(() => { if (justHanded) handedLine.current?.focus(); }, [justHanded]);
  const lists = useRef<Record<string, HTMLSelectElement | null>>({});

  if (items.length === 0 && work.customers === 0) return <p ref={focusOnShow} tabIndex={-1} className="notice notice-success">{leaver.full_name} had no open workflows, tasks or customers.</p>;
  const left = items.filter((item) => !done[item.id]);
  const nameOf = (id: string) => candidates.find((c) => c.id === id)?.full_name ?? 'someone';

  const reason = `Handed over: ${leaver.full_name} was deactivated`;

  /** Hands one item to `to`; the refusal, if any, is kept for the caller to say. */
  async function handOver(item: Item, to: string): Promise<boolean> {
    try {
      // Under the key of the same hand-over left unanswered (a sign-out forgets it): sent again
      // after a lost answer, the server answers the one it made.
      if (item.kind === 'task') await sendOnce(`act_on_task:${item.id}`, { to, reason }, newId(), (key) => admin.reassignTask(item.id, to, reason, key));
      else await sendOnce(`reassign_workflow:${item.id}`, { to, reason }, newId(), (key) => admin.reassignWorkflow(item.id, to, reason, key));
      setDone((d) => ({ ...d, [item.id]: nameOf(to) }));
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  }

  async function reassign(item: Item) {
    const to = choice[item.id] ?? '';
    if (!to) {
      setUnchosen(item.id);
      lists.current[item.id]?.focus();
      return;
    }
    setError(null);
    setSummary(null);
    if (await handOver(item, to)) setJustHanded(item.id);
  }

  async function reassignAll() {
    if (!allTo) {
      setUnchosen('all');
      lists.current.all?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      // One request for everything, so the new owner gets one notification, not one per item;
      // under the key of the same hand-over left unanswered, as an item's.
      const done = await sendOnce(`hand_over_work:${leaver.id}`, { to: allTo, reason }, newId(),
        (key) => admin.handOverWork(leaver.id, allTo, reason, key));
      setDone((d) => ({ ...d, ...Object.fromEntries(left.map((item) => [item.id, done.assignee_name])) }));
      setCustomersLeft(0);
      const { workflows, tasks, customers } = done.handed_over;
      setSummary(workflows + tasks > 0
        ? `Handed ${workflows + tasks} to ${done.assignee_name}${customers > 0 ? `, with ${theirCustomers(customers)}` : ''}.`
        : `Handed ${theirCustomers(customers)} to ${done.assignee_name}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Open work to hand over">
      <h3 ref={focusOnShow} tabIndex={-1}>Open work to hand over ({items.length})</h3>
      {customersLeft > 0 ? (
        <p>{leaver.full_name} is CSM of {countOf(customersLeft, 'customer')}. Handing everything over moves them with the rest; to move one, use Change CSM on its page.</p>
      ) : null}
      {left.length > 1 || customersLeft > 0 ? (
        <div className="field open-work-all">
          <label htmlFor="open-work-all">Hand everything to</label>
          <span className="btn-row">
            <select id="open-work-all" ref={(node) => { lists.current.all = node; }} value={allTo} disabled={busy}
              aria-invalid={unchosen === 'all' || undefined} aria-describedby={unchosen === 'all' ? 'open-work-all-error' : undefined}
              onChange={(event) => { setAllTo(event.target.value); if (unchosen === 'all') setUnchosen(null); }}>
              <option value="">Choose a person…</option>
              {candidates.map((c) => <option key={c.id} value={c.id}>{choiceName(c)}</option>)}
            </select>
            <button type="button" className="btn btn-small btn-primary" onClick={() => void reassignAll()} disabled={busy || candidates.length === 0}>
              {busy ? 'Handing over…' : handOverAllLabel(left.length, customersLeft)}
            </button>
          </span>
          <FieldError id="open-work-all-error" message={unchosen === 'all' ? 'Choose who takes their work over.' : null} />
        </div>
      ) : null}
      {summary ? <p ref={focusOnShow} tabIndex={-1} className="notice notice-success" role="status">{summary}</p> : null}
      <ul className="open-work">
        {items.map((item) => (
          <li key={item.id}>
            <span>{item.href ? <Link href={item.href}>{item.label}</Link> : item.label} <span className="muted">— {item.kind === 'task' ? 'task' : 'workflow'}, {item.detail}</span></span>
            {done[item.id] ? <span ref={item.id === justHanded ? handedLine : undefined} tabIndex={-1} className="muted">Handed to {done[item.id]}</span> : (
              <span className="btn-row">
                <select aria-label={`New owner of ${item.label}`} ref={(node) => { lists.current[item.id] = node; }} value={choice[item.id] ?? ''} disabled={busy}
                  aria-invalid={unchosen === item.id || undefined} aria-describedby={unchosen === item.id ? `open-work-${item.id}-error` : undefined}
                  onChange={(event) => { setChoice((c) => ({ ...c, [item.id]: event.target.value })); if (unchosen === item.id) setUnchosen(null); }}>
                  <option value="">Choose a person…</option>
                  {candidates.map((c) => <option key={c.id} value={c.id}>{choiceName(c)}</option>)}
                </select>
                <button type="button" className="btn btn-small" onClick={() => void reassign(item)} disabled={busy || candidates.length === 0}>Reassign</button>
                <FieldError id={`open-work-${item.id}-error`} message={unchosen === item.id ? 'Choose who takes it over.' : null} />
              </span>
            )}
          </li>
        ))}
      </ul>
      <InlineError error={error} />
    </section>
  );
}

/** What "Hand everything to" moves: "Hand over all 3", "Hand over all 3 and 2 customers", "Hand over 2 customers". */
function handOverAllLabel(items: number, customers: number): string {
  if (customers === 0) return `Hand over all ${items}`;
  return items > 0 ? `Hand over all ${items} and ${countOf(customers, 'customer')}` : `Hand over ${countOf(customers, 'customer')}`;
}

/** The leaver's customers in a sentence: "their customer", "their 2 customers". */
function theirCustomers(count: number): string {
  return count === 1 ? 'their customer' : `their ${count} customers`;
}
