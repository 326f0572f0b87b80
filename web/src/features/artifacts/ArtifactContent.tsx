// Shows an artifact's content: an email draft as an email, text as text, anything else
// as a readable list of fields.
import type { Artifact } from '../../lib/types.ts';
import { humanize } from '../../lib/format.ts';
import { readBody, readEmail } from './emailContent.ts';
import { Recipients } from './Recipients.tsx';

export function EmailPreview({ content, title }: { content: Record<string, unknown>; title?: string }) {
  const email = readEmail(content, title);
  return (
    <div className="email" aria-label="Email draft">
      <dl className="email-head">
        <Recipients to={email.to} cc={email.cc} />
        <div><dt>Subject</dt><dd className="email-subject">{email.subject || <span className="muted">no subject</span>}</dd></div>
      </dl>
      <div className="email-body">{email.body}</div>
    </div>
  );
}

export function ArtifactContent({ artifact }: { artifact: Pick<Artifact, 'artifact_type' | 'content'> & { title?: string } }) {
  const content = artifact.content ?? {};
  if (artifact.artifact_type === 'email_draft') return <EmailPreview content={content} title={artifact.title} />;
  const body = readBody(content);
  if (body !== null) return <div className="artifact-text">{body}</div>;
  const entries = Object.entries(content);
  if (entries.length === 0) return <p className="muted">No content yet.</p>;
  return (
    <dl className="kv">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{humanize(key)}</dt>
          <dd>{typeof value === 'string' || typeof value === 'number' ? String(value)
            : Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (
              <ul>{value.map((entry, index) => <li key={index}>{entry}</li>)}</ul>
            ) : <code className="json">{JSON.stringify(value, null, 2)}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}
