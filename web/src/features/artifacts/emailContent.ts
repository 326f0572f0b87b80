// An email draft's content: to, cc, subject and body, nothing else (the database refuses
// other keys, and sends exactly the body): what the approver reads here is what is sent.
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

/** The email as it will be sent; with no subject of its own it goes out under the draft's title (app.action_send_email). */
export function readEmail(content: Record<string, unknown>, title = ''): EmailContent {
  return {
    to: text(content.to),
    cc: text(content.cc),
    subject: text(content.subject).trim() || title,
    body: text(content.body),
  };
}

/** The edited draft: its four fields, recipients kept as a list when they were one. */
export function writeEmail(original: Record<string, unknown>, email: EmailContent): Record<string, unknown> {
  const next: Record<string, unknown> = { subject: email.subject, body: email.body };
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
