// What the assistant's answer rests on: the history passages it cites ([1], [2]…, stored
// on the message as metadata.citations) as links to their source, and which model answered.
import { Citation, historySourceLabel } from '../../../../functions-shared/api/index.ts';
import { paths } from '../../lib/router.ts';
import type { ChatMessage } from '../../lib/types.ts';

export type { Citation };
type Metadata = Partial<Pick<ChatMessage, 'metadata' | 'model'>>;

export const kindLabel = historySourceLabel;

export function citationsOf(message: Metadata): Citation[] {
  const raw = message.metadata?.citations;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c) => {
    const parsed = Citation.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Where a cited source lives in the workspace, at the item (useScrollToAnchor lands there):
 * an email in sent mail; an activity in the customer's timeline; an approved document or a
 * chat's summary (an artifact) in the customer's artifacts; a contract's text in the
 * customer's contract documents. A passage the customer page's history search found is the
 * same kind of source and links the same way.
 */
export function citationHref(citation: Pick<Citation, 'source_kind' | 'source_id' | 'customer_id'>): string | null {
  const anchor = citation.source_kind === 'contract' ? '#contract-documents'
    : `#${citation.source_kind === 'thread_summary' ? 'artifact' : citation.source_kind}-${citation.source_id}`;
  if (citation.source_kind === 'email') return `${paths.outbox}${anchor}`;
  return citation.customer_id ? `${paths.customer(citation.customer_id)}${anchor}` : null;
}

export const BUILT_IN_MODEL_LABEL = 'built-in offline model';

/**
 * The built-in models' own names, which a person is never shown: the chat's (functions-shared/llm/mock.ts)
 * and the contract reader's (BUILT_IN_MODEL of functions-shared/contracts/patterns.ts).
 */
const BUILT_IN_MODELS: ReadonlySet<string> = new Set(['renubu-mock-1', 'renubu-patterns-1']);

/** A model named in words: a built-in one as such, an Ollama model by its name. */
export function modelName(model: string | null | undefined): string | null {
  return model && BUILT_IN_MODELS.has(model) ? BUILT_IN_MODEL_LABEL : model ?? null;
}

/** Which model wrote an answer: the built-in one by name, an Ollama model by its name. */
export function modelLabel(message: Metadata): string | null {
  if (message.metadata?.provider === 'mock') return BUILT_IN_MODEL_LABEL;
  return modelName(message.model);
}
