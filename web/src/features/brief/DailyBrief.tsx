// The morning brief above a CSM's queue: a few sentences, each with the facts it rests on
// as numbered links (a customer, a workflow, a task), so nothing in it has to be taken on
// trust. When the scheduler has not written today's brief yet (before the organisation's
// brief time), opening the queue asks for it once.
import { useEffect, useId, useMemo, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { countOf, formatDate, localDay } from '../../lib/format.ts';
import { paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { InlineError } from '../../components/States.tsx';
import { briefApi, type BriefFact, type DailyBrief as Brief } from './api.ts';
import { factFields } from './factFields.ts';
import { TABLET_OR_NARROWER } from '../../lib/mediaQuery.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import './brief.css';

const KIND_LABELS: Record<BriefFact['kind'], string> = {
  top_item: 'Top of your queue',
  stage_change: 'Stage change',
  health_drop: 'Health drop',
  usage_drop: 'Usage drop',
  new_ticket: 'New support ticket',
  notice_deadline: 'Notice deadline',
  task_due: 'Task due',
  proposal_waiting: 'Proposal waiting',
};

function factHref(fact: BriefFact): string {
  if (fact.execution_id && (fact.kind === 'top_item' || fact.kind === 'proposal_waiting')) return paths.workflow(fact.execution_id);
  if (fact.kind === 'task_due') return paths.tasks;
  return fact.customer_id ? `/customers/${fact.customer_id}` : paths.queue;
}

// Folded for the day: a person who has read the brief folds it to reach the queue, and it
// stays folded for that brief's date across reloads; the next day's brief opens unfolded.
// On a phone or a tablet (up to 1 000 px) a brief of a dozen sentences fills the screen above
// the queue every morning (at 768 px the first row was 1 240 px down), so there it starts
// folded, and the person's choice there (open, or folded again) is kept, every day's brief
// alike, until they change it. A laptop keeps the per-day fold.
const FOLDED_KEY = 'renubu.brief-folded:';
const NARROW_KEY = 'renubu.brief-on-narrow-screens:';
type NarrowChoice = 'open' | 'folded';
function narrowChoice(personId: string): NarrowChoice {
  try { return localStorage.getItem(NARROW_KEY + personId) === 'open' ? 'open' : 'folded'; } catch { return 'folded'; }
}
function rememberNarrowChoice(personId: string, choice: NarrowChoice): void {
  try { localStorage.setItem(NARROW_KEY + personId, choice); } catch { /* Storage unavailable: kept until the page is left. */ }
}
function foldedDate(personId: string): string | null {
  try { return localStorage.getItem(FOLDED_KEY + personId); } catch { return null; }
}
function rememberFolded(personId: string, briefDate: string | null): void {
  try {
    if (briefDate) localStorage.setItem(FOLDED_KEY + personId, briefDate);
    else localStorage.removeItem(FOLDED_KEY + personId);
  } catch {
    // Storage unavailable: folded until the page is left.
  }
}

/**
 * Who wrote the brief and from how many facts; a brief of none is just written ("from 0 facts"
 * read as if something had been lost), and a first one says it is the first.
 */
function writtenBy(brief: Brief): string {
  const by = `Written by ${brief.model ?? 'the built-in offline model'}`;
  const count = brief.facts.length;
  const from = count === 0 ? '' : ` from ${countOf(count, 'fact')}`;
  return brief.first ? `Your first brief · ${by}${from}` : `${by}${from}`;
}

export function DailyBrief() {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => briefApi(api), [api]);
  const [brief, setBrief] = useState<Brief | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  // The fact opened, and the sentence it was opened from: it shows under that sentence, where
  // the eye is (under the whole brief it could open out of sight on a phone).
  const [open, setOpen] = useState<{ sentence: number; id: string } | null>(null);
  const factId = useId();
  const textId = useId();
  const [folded, setFolded] = useState<string | null>(() => foldedDate(profile.id));
  const narrow = useMediaQuery(TABLET_OR_NARROWER);
  const [onNarrow, setOnNarrow] = useState<NarrowChoice>(() => narrowChoice(profile.id));

  useEffect(() => {
    let alive = true;
    (async () => {
      // Each step checks that the brief is still shown (a sign-out stops the calls themselves:
      // lib/sessionFetch.ts).
      let latest = await calls.latest();
      if (!alive) return;
      if (!latest || latest.brief_date < localDay(new Date())) {
        await calls.writeMine(profile.id);
        if (!alive) return;
        latest = await calls.latest();
      }
      if (alive) setBrief(latest);
    })().catch((caught: unknown) => { if (alive) { setError(caught); setBrief(null); } });
    return () => { alive = false; };
  }, [calls, profile.id]);

  if (brief === undefined) return <section className="panel brief" aria-busy="true" aria-label="Your daily brief"><p className="muted">Preparing your brief…</p></section>;
  if (!brief) return error ? <section className="panel brief" aria-label="Your daily brief"><InlineError error={error} /></section> : null;

  const facts = new Map(brief.facts.map((fact) => [fact.id, fact]));
  const shown = open ? facts.get(open.id) : undefined;
  const isFolded = narrow ? onNarrow === 'folded' : folded === brief.brief_date;
  const fold = (next: boolean) => {
    if (narrow) {
      const choice = next ? 'folded' : 'open';
      rememberNarrowChoice(profile.id, choice);
      setOnNarrow(choice);
      return;
    }
    const value = next ? brief.brief_date : null;
    rememberFolded(profile.id, value);
    setFolded(value);
  };
  return (
    <section className="panel brief" aria-labelledby="brief-title">
      <div className="brief-head">
        <h2 id="brief-title">Your brief for {formatDate(brief.brief_date)}</h2>
        {/* Folded, the brief is one line on its way to the queue: who wrote it waits with its sentences. */}
        {isFolded ? null : <span className="muted brief-model">{writtenBy(brief)}</span>}
        <button type="button" className="btn btn-ghost btn-small brief-fold" aria-expanded={!isFolded} aria-controls={textId}
          onClick={() => fold(!isFolded)}>
          {isFolded ? `Show the brief (${brief.sentences.length} ${brief.sentences.length === 1 ? 'sentence' : 'sentences'})` : 'Hide the brief'}
        </button>
      </div>
      <ul className="brief-text" id={textId} hidden={isFolded}>
        {brief.sentences.map((sentence, index) => (
          <li key={index} className="brief-sentence">
            {sentence.text}
            {sentence.facts.map((id) => {
              const expanded = open?.sentence === index && open.id === id;
              return (
                <button key={id} type="button" className="brief-ref" aria-expanded={expanded} aria-controls={expanded ? factId : undefined}
                  aria-label={`Fact ${id.slice(1)}: ${KIND_LABELS[facts.get(id)?.kind ?? 'top_item']}${facts.get(id)?.customer ? `, ${facts.get(id)?.customer}` : ''}`}
                  onClick={() => setOpen(expanded ? null : { sentence: index, id })}>
                  {id.slice(1)}
                </button>
              );
            })}
            {shown && open?.sentence === index ? (
              <div id={factId} className="brief-fact" role="region" aria-label="The fact behind this sentence">
                <strong>{KIND_LABELS[shown.kind]}</strong>
                {shown.customer ? <> · <Link href={factHref(shown)}>{shown.customer}</Link></> : null}
                <dl>
                  {factFields(shown).map((field) => <div key={field.key}><dt>{field.label}</dt><dd>{field.value}</dd></div>)}
                </dl>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
