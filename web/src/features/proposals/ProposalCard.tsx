// One AI proposal as a card: what the assistant proposes and why, where it came from, and
// (for those who may decide) Approve / Edit / Reject. Nothing runs until a person clicks.
import { formatDateTime, humanize } from '../../lib/format.ts';
import { describeParams, type ParamWords } from './proposalParams.ts';
import { Badge } from '../../components/Badges.tsx';
import type { Proposal, ProposalStatus } from './api.ts';
import type { Artifact } from '../../lib/types.ts';
import { readEmail } from '../artifacts/emailContent.ts';
import { Recipients } from '../artifacts/Recipients.tsx';
import './proposals.css';

interface Props {
  proposal: Proposal;
  /** Whether the signed-in person may decide (the server checks again). */
  canDecide: boolean;
  busy?: 'approve' | 'reject' | null;
  onApprove: (proposal: Proposal) => void;
  onEdit: (proposal: Proposal) => void;
  onReject: (proposal: Proposal) => void;
  /** The server's labels and the workflow's draft titles, to say the parameters in words. */
  words?: ParamWords;
  /** The email draft the proposal would send (its params' artifact_id), whose recipients are shown before Approve. */
  emailDraft?: Artifact;
}

const SOURCE: Record<string, string> = { thread: 'from the chat', brief: 'from your daily brief', agent: 'from an agent' };
const STATUS_TONE: Record<ProposalStatus, string> = { proposed: 'info', approved: 'success', rejected: 'muted', expired: 'muted' };

/**
 * Whom approving a proposal to send an email mails: the draft's To and Cc, or the ones the
 * proposal names instead (sent where the organisation does not require approval, refused
 * where it does), each in full and flagged when the customer's records do not know it.
 */
function ProposedRecipients({ draft, params }: { draft: Artifact; params: Record<string, unknown> }) {
  const email = readEmail({ ...draft.content, ...('to' in params ? { to: params.to } : {}), ...('cc' in params ? { cc: params.cc } : {}) }, draft.title);
  return (
    <dl className="email-head proposal-recipients" aria-label="Recipients">
      <Recipients to={email.to} cc={email.cc} />
    </dl>
  );
}

export function ProposalCard({ proposal, canDecide, busy = null, onApprove, onEdit, onReject, words, emailDraft }: Props) {
  const name = proposal.action_name ?? humanize(proposal.action_key);
  const params = describeParams(proposal.params, words);
  const waiting = proposal.status === 'proposed';
  return (
    <article className="proposal-card" aria-label={`Proposal: ${name}`} data-testid="proposal-card">
      <header className="proposal-head">
        <div>
          <div className="proposal-kind">The assistant proposes · {SOURCE[proposal.source.kind] ?? proposal.source.kind}{proposal.source.ref ? ` (${proposal.source.ref})` : ''}</div>
          <h3 className="proposal-title">{name}</h3>
        </div>
        <Badge tone={STATUS_TONE[proposal.status]}>{humanize(proposal.status)}</Badge>
      </header>
      <p className="proposal-rationale">{proposal.rationale}</p>
      {params ? <p className="proposal-params small">{params}</p> : null}
      {emailDraft ? <ProposedRecipients draft={emailDraft} params={proposal.params} /> : null}
      {waiting ? (
        <p className="small muted">Nothing runs until someone approves it. Expires {formatDateTime(proposal.expires_at)}.</p>
      ) : proposal.decided_at ? (
        <p className="small muted">{humanize(proposal.status)} {formatDateTime(proposal.decided_at)}.</p>
      ) : null}
      {waiting && canDecide ? (
        <footer className="btn-row proposal-actions">
          {/* The way out first, the action that goes on last (components/FormButtons.tsx), as a draft's Approve. */}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onReject(proposal)} disabled={busy !== null}>
            {busy === 'reject' ? 'Rejecting…' : 'Reject'}
          </button>
          <button type="button" className="btn btn-small" onClick={() => onEdit(proposal)} disabled={busy !== null}>Edit…</button>
          <button type="button" className="btn btn-small btn-primary" onClick={() => onApprove(proposal)} disabled={busy !== null}>
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
        </footer>
      ) : null}
    </article>
  );
}
