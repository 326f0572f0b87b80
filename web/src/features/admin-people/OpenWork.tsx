// A deactivated person's open work, each item handed to someone else with one click.
import { useCallback, useEffect, useRef, useState } from 'react';
import { InlineError } from '../../components/States.tsx';
import { Link } from '../../components/Link.tsx';
import { formatDate, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { paths } from '../../lib/router.ts';
import type { AdminApi, OpenWork as OpenWorkData, Person } from './api.ts';
import { choiceName } from '../../lib/people.ts';

type Item = { kind: 'execution' | 'task'; id: string; label: string; detail: string; href?: string };

export function OpenWork({ admin, work, leaver, people }: { admin: AdminApi; work: OpenWorkData; leaver: Person; people: Person[] }) {
  const candidates = people.filter((p) => p.active && p.id !== leaver.id && p.role !== 'viewer');
  const items: Item[] = [
    ...work.executions.map((e) => ({ kind: 'execution' as const, id: e.id, label: `${e.workflow_name ?? 'Workflow'} · ${e.customer.name}`, detail: e.status.replace(/_/g, ' '), href: paths.workflow(e.id) })),
    ...work.tasks.map((t) => ({ kind: 'task' as const, id: t.id, label: `${t.title} · ${t.customer.name}`, detail: t.due_date ? `due ${formatDate(t.due_date)}` : t.status })),
  ];
  const [done, setDone] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  // Shown once the person is deactivated, in place of the button pressed: it takes the focus.
  const focusOnShow = useCallback((node: HTMLElement | null) => node?.focus(), []);
  // An item handed over trades its Reassign for "Handed to …", which then holds the focus.
  const [justHanded, setJustHanded] = useState<string | null>(null);
  const handedLine = useRef<HTMLSpanElement>(null);
  useEffect(() => { if (justHanded) handedLine.current?.focus(); }, [justHanded]);

  if (items.length === 0) return <p ref={focusOnShow} tabIndex={-1} className="notice notice-success">{leaver.full_name} had no open workflows or tasks.</p>;

  async function reassign(item: Item) {
    const to = choice[item.id] ?? candidates[0]?.id;
    if (!to) return;
    setError(null);
    const reason = `Handed over: ${leaver.full_name} was deactivated`;
    try {
      // Under the key of the same hand-over left unanswered (a sign-out forgets it): sent again
      // after a lost answer, the server answers the one it made.
      if (item.kind === 'task') await sendOnce(`act_on_task:${item.id}`, { to, reason }, newId(), (key) => admin.reassignTask(item.id, to, reason, key));
      else await sendOnce(`reassign_workflow:${item.id}`, { to, reason }, newId(), (key) => admin.reassignWorkflow(item.id, to, reason, key));
      setDone((d) => ({ ...d, [item.id]: candidates.find((c) => c.id === to)?.full_name ?? 'someone' }));
      setJustHanded(item.id);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-label="Open work to hand over">
      <h3 ref={focusOnShow} tabIndex={-1}>Open work to hand over ({items.length})</h3>
      <ul className="open-work">
        {items.map((item) => (
          <li key={item.id}>
            <span>{item.href ? <Link href={item.href}>{item.label}</Link> : item.label} <span className="muted">— {item.kind === 'task' ? 'task' : 'workflow'}, {item.detail}</span></span>
            {done[item.id] ? <span ref={item.id === justHanded ? handedLine : undefined} tabIndex={-1} className="muted">Handed to {done[item.id]}</span> : (
              <span className="btn-row">
                <select aria-label={`New owner of ${item.label}`} value={choice[item.id] ?? candidates[0]?.id ?? ''}
                  onChange={(event) => setChoice((c) => ({ ...c, [item.id]: event.target.value }))}>
                  {candidates.map((c) => <option key={c.id} value={c.id}>{choiceName(c)}</option>)}
                </select>
                <button type="button" className="btn btn-small" onClick={() => void reassign(item)} disabled={candidates.length === 0}>Reassign</button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <InlineError error={error} />
    </section>
  );
}
