// A message sent to a chat while its workflow is being finished (migration 20261212900000;
// docs/workflow-engine.md "Lock order"). post_chat_message read the workflow's status without
// a lock, so a finish not yet committed let the message through: stored with a pending reply
// in a workflow that was finished when the model answered. The status is now read `for share`,
// which waits for the finishing transaction's row lock and then sees what it committed.
// The race is held open for real: a direct transaction finishes the workflow and waits
// uncommitted while the message goes through supabase-js.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedInAs } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { freshChat, messagesOf } from './chat-fixtures.ts';

describe('a message sent while its workflow is being finished', () => {
  it('waits for the finish and is refused, with nothing stored', async () => {
    const csm = await signedInAs('csm');
    const me = (await csm.rpc('get_my_profile')).data as { id: string };
    const { executionId, threadId } = await freshChat(csm);
    const before = await messagesOf(threadId);
    const finisher = await transactionAs(me.id);
    try {
      // The CSM's other tab finishes the workflow, skipping its remaining steps, and has not committed yet.
      await finisher.query(`select public.complete_workflow($1, skip_remaining => true, reason => 'Signed on the call')`, [executionId]);
      const { call, answer } = sent(csm.rpc('post_chat_message', { thread_id: threadId, content: 'Draft the renewal note', client_message_id: randomUUID() }));
      expect(await stillWaiting(call)).toBe(true);
      await finisher.query('commit');
      const posted = await answer;
      expect(posted.code).toBe('PT409');
      // Finishing with the remaining steps skipped leaves the workflow 'skipped'.
      expect(posted.message).toBe('Cannot chat in this workflow: it is skipped');
    } finally {
      await release(finisher);
    }
    expect(await messagesOf(threadId)).toEqual(before);
  });
});
