// An audit entry in words (Admin → Audit): what the change was made to, named as the admin
// knows it, and the fields that changed, each named in words with its value before and
// after. The log keeps whole records (a workflow's definition, every settings section) so
// that nothing is lost; the page shows what differs between them.
import { formatDateTime, humanize } from '../../lib/format.ts';
import type { AuditEntry } from './api.ts';
import { roleName } from './roleChange.ts';
import { ACTION_SCOPE_WORDS, WORKFLOW_SCOPE_WORDS, type Scope } from '../admin-definitions/scopeWords.ts';
import { ORGANISATION_LABELS, SNOOZE_DAY_LABELS, THRESHOLD_LABELS, THRESHOLDS_HEADING } from '../admin-definitions/settingWords.ts';
import type { Person } from './api.ts';

type Json = unknown;
type Record_ = Record<string, Json>;

/** A changed field: its name in words and its value before and after (null: the record had none on that side). */
export interface AuditLine { field: string; from: string | null; to: string | null }

/** Looks up a person's name by id (the people of the organisation). */
export type NameOf = (id: string) => string | undefined;

// Bookkeeping that every record carries and no admin changed: its id, its key (the entry
// names it already) and its timestamps, and a saved action's catalogue config, kept beside
// an override for comparison.
const BOOKKEEPING = new Set(['id', 'key', 'created_at', 'updated_at', 'core_config']);
// Fields whose text a person typed: shown as typed, in quotes, never turned into words.
const TYPED_TEXT = new Set(['label', 'title', 'name', 'description', 'full_name', 'email', 'response_text', 'prompt_template', 'reason', 'note']);
// A field is named by the label its page gives it (Admin → Settings, Admin → Actions), so an
// admin finds in the log the words they changed: a whole path first ('llm.model' is the one
// field 'Assistant model'), else each key of it.
const PATH_WORDS: Record<string, string> = { 'llm.model': ORGANISATION_LABELS['llm.model'], 'brief.time': ORGANISATION_LABELS['brief.time'] };
const FIELD_WORDS: Record<string, string> = {
  manager_id: 'Manager', time_zone: ORGANISATION_LABELS.time_zone,
  thresholds: THRESHOLDS_HEADING, ...THRESHOLD_LABELS, ...SNOOZE_DAY_LABELS,
};
// A saved action's limits hold in its config, which its page shows as the action's fields.
const UNNAMED = new Set(['config']);
// A code the database writes ('core', 'follow_up', 'vp_cs'): lowercase letters, digits and _.
const CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: Json): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array of records that each have a key (a definition's steps, a step's branches) is read record by record. */
function isKeyedList(value: Json): value is Record_[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => isRecord(item) && typeof item.key === 'string');
}

function children(value: Json): [string, Json][] | null {
  if (isRecord(value)) return Object.entries(value);
  if (isKeyedList(value)) return value.map((item) => [item.key as string, item]);
  return null;
}

/** Every leaf of a record by its path of keys, skipping bookkeeping. */
function leaves(value: Json, path: string[] = [], out = new Map<string, { path: string[]; value: Json }>()) {
  const parts = children(value);
  if (parts === null) {
    out.set(JSON.stringify(path), { path, value });
    return out;
  }
  for (const [key, child] of parts) {
    if (!BOOKKEEPING.has(key)) leaves(child, [...path, key], out);
  }
  return out;
}

function fieldWords(path: string[]): string {
  const named = path.filter((key) => !UNNAMED.has(key));
  return PATH_WORDS[named.join('.')] ?? named.map((key) => FIELD_WORDS[key] ?? humanize(key)).join(' › ');
}

// A scope as the page of its kind badges it ('Your version', 'Your limits').
const SCOPE_WORDS: Partial<Record<AuditEntry['entity'], Record<Scope, string>>> = {
  workflow_definition: WORKFLOW_SCOPE_WORDS, saved_action: ACTION_SCOPE_WORDS,
};

function valueWords(field: string, value: Json, nameOf: NameOf, entity: AuditEntry['entity']): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => valueWords(field, item, nameOf, entity)).join(', ');
  if (typeof value !== 'string') return JSON.stringify(value);
  if (field === 'role') return roleName(value as Person['role']);
  const scopes = field === 'scope' ? SCOPE_WORDS[entity] : undefined;
  if (scopes && value in scopes) return scopes[value as Scope];
  if (UUID.test(value)) return nameOf(value) ?? 'someone no longer listed';
  if (TIMESTAMP.test(value)) return formatDateTime(value);
  if (!TYPED_TEXT.has(field) && CODE.test(value)) return humanize(value);
  return `“${value}”`;
}

/** The fields that differ between before and after; a record made or removed lists what it held. */
export function auditLines(entry: Pick<AuditEntry, 'entity' | 'before' | 'after'>, nameOf: NameOf): AuditLine[] {
  const before = entry.before ? leaves(entry.before) : new Map();
  const after = entry.after ? leaves(entry.after) : new Map();
  const paths = new Map([...before, ...after].map(([id, leaf]) => [id, leaf.path]));
  const lines: AuditLine[] = [];
  for (const [id, path] of paths) {
    const from = before.get(id)?.value;
    const to = after.get(id)?.value;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const field = path.at(-1) ?? '';
    lines.push({
      field: fieldWords(path),
      from: entry.before ? valueWords(field, from, nameOf, entry.entity) : null,
      to: entry.after ? valueWords(field, to, nameOf, entry.entity) : null,
    });
  }
  return lines;
}

/** One line as the page shows it: "Field: before → after", or one side for a record made or removed. */
export function auditLineText(line: AuditLine): string {
  const values = [line.from, line.to].filter((value) => value !== null);
  return `${line.field}: ${values.join(' → ')}`;
}

function text(record: Record_ | null, key: string): string | null {
  const value = record?.[key];
  return typeof value === 'string' && value.trim() ? value : null;
}

/** What the change was made to, as the admin knows it; null for the organisation's own settings. */
export function auditSubject(entry: AuditEntry, nameOf: NameOf, workflowNameOf: NameOf = () => undefined): string | null {
  const { before, after, entity_id: id } = entry;
  const either = (key: string) => text(after, key) ?? text(before, key);
  switch (entry.entity) {
    case 'organisation_settings':
      return null;
    case 'person':
      return (id ? nameOf(id) : undefined) ?? either('full_name') ?? either('email') ?? 'A person no longer listed';
    case 'webhook_secret': {
      const label = either('label');
      return label ? `“${label}”` : `${either('secret_prefix') ?? 'whsec_'}…`;
    }
    case 'workflow_definition': {
      const definition = (isRecord(after?.definition) ? after.definition : isRecord(before?.definition) ? before.definition : null);
      // Switched on or off, the entry holds only `enabled`: the name is the Workflows page's.
      return text(definition, 'name') ?? (id ? workflowNameOf(id) : undefined) ?? humanize(id ?? '');
    }
    default:
      return either('name') ?? humanize(id ?? '');
  }
}
