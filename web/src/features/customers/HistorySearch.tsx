// Search the customer's recorded history from their page (search_customer_history: notes,
// calls, meetings, tickets, emails sent, approved documents, chat summaries, contracts),
// without opening a workflow's chat: each passage found with its kind and date in words and
// the words it matched marked, as the assistant's history answers cite them; its title links
// to the entry itself (an activity in the timeline below, an email in sent mail…), where the
// page scrolls to it and marks it, as a chat citation does (citationHref, useScrollToAnchor).
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { formatDate, possessive } from '../../lib/format.ts';
import { isBlankText } from '../../../../functions-shared/text.ts';
import { FormField } from '../../components/FieldError.tsx';
import { InlineError } from '../../components/States.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { citationHref, kindLabel } from '../chat/citations.ts';
import { Link } from '../../components/Link.tsx';
import { customerApi, type HistoryPassage } from './api.ts';

/** A snippet as the server marks it ("the **SSO** outage"): its matched words in <mark>. */
export function MarkedSnippet({ text }: { text: string }) {
  const parts = text.split(/\*\*(.+?)\*\*/g);
  return <>{parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}</>;
}

/** What search_customer_history reads (its source kinds: engagement, email, artifact, thread_summary, contract). */
const SEARCHED = 'Searches notes, calls, meetings, tickets, emails sent, approved documents, chat summaries and contracts.';

function foundWords(count: number, query: string, customerName: string): string {
  // The reasons of actions and escalations stand in the activity under the search, but are not
  // indexed: without the last sentence a miss read as if the word were nowhere in the account.
  if (count === 0) {
    return `Nothing in ${possessive(customerName)} history matches “${query}”. Try other words, or fewer. `
      + 'The reasons given for workflow actions and escalations are not searched: they are in the activity below.';
  }
  return `${count} ${count === 1 ? 'passage matches' : 'passages match'} “${query}”.`;
}

export function HistorySearch({ customerId, customerName }: { customerId: string; customerName: string }) {
  const { api } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const [words, setWords] = useState('');
  const [found, setFound] = useState<{ query: string; passages: HistoryPassage[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = useFieldProblem<'query'>();
  const box = useRef<HTMLInputElement>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    // The server's rule (22023 'query must not be empty'), said beside the box before asking it.
    if (isBlankText(words)) return problem.show('query', 'Type the words to look for, e.g. “pricing objection”.', box.current);
    const query = words.trim();
    setBusy(true);
    setError(null);
    try {
      setFound({ query, passages: await calls.searchHistory(customerId, query) });
    } catch (caught) {
      setFound(null);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="history-search-title">
      <div className="panel-head"><h2 id="history-search-title">Search the history</h2></div>
      <p className="muted small">{SEARCHED}</p>
      <form role="search" aria-label={`Search ${possessive(customerName)} history`} className="history-search" onSubmit={(event) => void search(event)} noValidate>
        {/* The search's syntax (websearch_to_tsquery) in the hint, seen whole on a phone and
            while typing; a placeholder would be cut off on a phone and go with the first key. */}
        <FormField label={<>Words to look for <span className="field-hint">(“a phrase” in quotes, -word to leave it out)</span></>} error={problem.of('query')}>
          {(control) => (
            <input {...control} ref={box} type="search" value={words} placeholder="e.g. rate limit"
              onChange={(event) => { setWords(event.target.value); problem.changed('query'); }} />
          )}
        </FormField>
        <button type="submit" className="btn" disabled={busy}>{busy ? 'Searching…' : 'Search'}</button>
      </form>
      <InlineError error={error} />
      {found ? <p role="status" className="muted small">{foundWords(found.passages.length, found.query, customerName)}</p> : null}
      {found && found.passages.length > 0 ? (
        <ol className="history-results" aria-label="Passages found">
          {found.passages.map((passage) => {
            const href = citationHref({ ...passage, customer_id: customerId });
            return (
            <li key={`${passage.source_kind}-${passage.source_id}`}>
              <div className="item-title">{href ? <Link href={href}>{passage.title}</Link> : passage.title}</div>
              <div className="small muted">{kindLabel(passage.source_kind, passage.source_subtype)} · {formatDate(passage.occurred_at)}</div>
              {passage.snippet && passage.snippet !== passage.title ? <p className="history-snippet"><MarkedSnippet text={passage.snippet} /></p> : null}
            </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}
