// One chat message: the user's on the right, the assistant's on the left with its tool
// calls as cards, the sources it cites as links, which model answered, and a failed
// answer with its reason and a retry (or Sign in again, when the session ended).
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../../lib/router.ts';
import { formatDate } from '../../lib/format.ts';
import { citationHref, citationsOf, kindLabel, modelLabel } from './citations.ts';
import type { UiMessage } from './useChat.ts';
import { SignInAgainButton } from '../../components/SignInAgain.tsx';
import './chat.css';

interface Props {
  message: UiMessage;
  renderToolCall: (call: UiMessage['calls'][number], index: number) => ReactNode;
  onRetry?: () => void;
  retryDisabled?: boolean;
}

export function MessageBubble({ message, renderToolCall, onRetry, retryDisabled }: Props) {
  const mine = message.role === 'user';
  const waiting = message.status === 'pending' && message.content === '';
  return (
    <li className={`msg ${mine ? 'msg-user' : 'msg-assistant'} msg-${message.status}`} data-testid={`chat-message-${message.role}`}
      data-status={message.status}
      // Screen readers wait for the whole answer instead of reading every token.
      aria-busy={message.status === 'streaming' || message.status === 'pending' ? true : undefined}>
      <span className="visually-hidden">{mine ? 'You said:' : 'Assistant:'}</span>
      {waiting ? <div className="msg-body typing" aria-label="The assistant is thinking"><span /><span /><span /></div> : null}
      {message.content ? <div className="msg-body">{message.content}{message.status === 'streaming' ? <span className="caret" aria-hidden="true" /> : null}</div> : null}
      {message.calls.length > 0 ? <div className="msg-tools">{message.calls.map(renderToolCall)}</div> : null}
      {!mine && message.status === 'complete' ? <Sources message={message} /> : null}
      {message.status === 'failed' ? (
        <div className="msg-failed" role="alert">
          <span>{message.error ?? 'The assistant could not answer.'}</span>
          {message.sessionEnded ? <SignInAgainButton small />
            : onRetry ? <button type="button" className="btn btn-small" onClick={onRetry} disabled={retryDisabled}>Retry</button> : null}
        </div>
      ) : null}
    </li>
  );
}

/** The cited sources, numbered as in the answer, each a link to where it lives; then the model. */
function Sources({ message }: { message: UiMessage }) {
  const citations = citationsOf(message);
  const model = modelLabel(message);
  const follow = (event: MouseEvent<HTMLAnchorElement>, href: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <>
      {citations.length > 0 ? (
        <ol className="msg-sources" aria-label="Sources">
          {citations.map((citation) => {
            const href = citationHref(citation);
            const label = `${citation.title || kindLabel(citation.source_kind, citation.source_subtype)}`;
            // the day as every list of the app says it ("20 Nov 2026"), not the API's "2026-11-20"
            const meta = `${kindLabel(citation.source_kind, citation.source_subtype)}, ${formatDate(citation.occurred_at)}`;
            return (
              <li key={citation.n} data-testid="chat-citation">
                <span className="msg-source-n">[{citation.n}]</span>{' '}
                {href ? <a href={href} onClick={(event) => follow(event, href)}>{label}</a> : <span>{label}</span>}{' '}
                <span className="muted">({meta})</span>
              </li>
            );
          })}
        </ol>
      ) : null}
      {model ? <span className="msg-model muted small" data-testid="chat-model">Answered by {model}</span> : null}
    </>
  );
}
