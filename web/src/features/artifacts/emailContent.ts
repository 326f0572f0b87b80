// Reads an email_draft artifact's content whatever spelling the producer used.
export interface EmailContent {
  to: string;
  cc: string;
  subject: string;
  body: string;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'object' && entry ? String((entry as { email?: string }).email ?? '') : String(entry))).filter(Boolean).join(', ');
  if (value === null || value === undefined) return '';
  return String(value);
}

export function readEmail(content: Record<string, unknown>): EmailContent {
  return {
    to: text(content.to ?? content.recipient ?? content.recipients ?? content.to_email),
    cc: text(content.cc),
    subject: text(content.subject),
    body: text(content.body ?? content.body_text ?? content.text ?? content.message),
  };
}

/** Writes the edited fields back over the original content, keeping keys we do not edit. */
export function writeEmail(original: Record<string, unknown>, email: EmailContent): Record<string, unknown> {
  const next: Record<string, unknown> = { ...original, subject: email.subject, body: email.body };
  next.to = Array.isArray(original.to) ? email.to.split(',').map((part) => part.trim()).filter(Boolean) : email.to;
  if (email.cc || 'cc' in original) next.cc = Array.isArray(original.cc) ? email.cc.split(',').map((part) => part.trim()).filter(Boolean) : email.cc;
  return next;
}

/** The readable text of any non-email artifact, or null when it is structured data. */
export function readBody(content: Record<string, unknown>): string | null {
  for (const key of ['body', 'text', 'markdown', 'summary', 'content', 'notes']) {
    const value = content[key];
    if (typeof value === 'string') return value;
  }
  return null;
}
