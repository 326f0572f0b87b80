// An artifact's edits not saved yet, kept for the tab under who typed them and the artifact
// (lib/unsentText.ts, as the chat keeps its message), with the version they were made on, so
// a reload mid-rewrite finds them in the editor again and saves them against that version
// (a draft changed since is a conflict to decide, never overwritten). Saved or dropped, forgotten.
import { keepText, keptText } from '../../lib/unsentText.ts';
import type { EmailContent } from './emailContent.ts';

export interface KeptEdits { version: number; title: string; email: EmailContent; text: string; json: string }

export const keptEditsKey = (personId: string, artifactId: string) => `${personId}:artifact-edit:${artifactId}`;

export function readKeptEdits(key: string): KeptEdits | null {
  try {
    const kept = JSON.parse(keptText(key) || 'null') as KeptEdits | null;
    return kept && typeof kept.version === 'number' && typeof kept.title === 'string' ? kept : null;
  } catch {
    return null;
  }
}

export function keepEdits(key: string, edits: KeptEdits | null): void {
  keepText(key, edits ? JSON.stringify(edits) : '');
}
