// One chat message: the user's on the right, the assistant's on the left with its tool
// calls as cards, a failed answer with its reason and a retry.
import type { ReactNode } from 'react';
import type { UiMessage } from './useChat.ts';

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
      {message.status === 'failed' ? (
        <div className="msg-failed" role="alert">
          <span>{message.error ?? 'The assistant could not answer.'}</span>
          {onRetry ? <button type="button" className="btn btn-small" onClick={onRetry} disabled={retryDisabled}>Retry</button> : null}
        </div>
      ) : null}
    </li>
  );
}
