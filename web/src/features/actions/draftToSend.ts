// What keeps the approved draft chosen in Send Email from going out, found before asking the
// server (which checks again, app.action_send_email): said beside the list of drafts in words
// that say what to do, instead of the server's "to is required: the draft has no valid recipient".
import type { Artifact } from '../../lib/types.ts';
import { readEmail } from '../artifacts/emailContent.ts';
import type { FieldProblem } from './actionForms.ts';

/** Whether the draft names someone to send it to. */
export function hasRecipient(draft: Pick<Artifact, 'content' | 'title'>): boolean {
  return readEmail(draft.content ?? {}, draft.title).to.trim() !== '';
}

/** The problem with sending `draft` (resend ticked or not), or null. */
export function draftToSendProblem(draft: Artifact | undefined, resend: boolean): FieldProblem | null {
  if (!draft) return null;
  if (!hasRecipient(draft)) {
    return { field: 'artifact_id', message: 'This draft has no recipient. Close this form, choose Edit on the draft to add one in To and have it approved again, then send it.' };
  }
  if (draft.sent_at && !resend) return { field: 'resend', message: 'This draft was already sent. Tick “Send it again” to send it once more.' };
  return null;
}
