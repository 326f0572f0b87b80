// A task someone gave you is skipped with a reason, never deleted without a trace: delete_task
// is for the person who created the task, a manager or an admin (migration 20261212120000).
// Before, the assignee could delete it (delete_task asked only whether they may change it):
// a manager's "Call Globex's CFO by Friday" handed to a CSM could be made to vanish through
// the API, where skipping it needs a reason the manager can read. The web app offers no delete;
// the rule is the server's.
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

let manager: SupabaseClient;
let csm: SupabaseClient;
let csmId: string;
let customerId: string;

async function taskBy(creator: SupabaseClient, title: string, assignedTo: string): Promise<string> {
  const { data, error } = await creator.rpc('create_task', { title, customer_id: customerId, assigned_to: assignedTo });
  expect(error).toBeNull();
  return (data as { id: string }).id;
}

const stillThere = (taskId: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.workflow_tasks where id = $1', [taskId])).rows[0]!.n === 1);

beforeAll(async () => {
  manager = await signedInAs('manager');
  csm = await signedInAs('csm');
  csmId = ((await csm.rpc('get_my_profile')).data as { id: string }).id;
  customerId = await freshCustomer('Given Tasks Co');
});

describe('a task given by someone else', () => {
  it('its assignee cannot delete it: 42501 saying to skip it with a reason, and it stays', async () => {
    const taskId = await taskBy(manager, "Call the CFO by Friday", csmId);
    const { error, status } = await csm.rpc('delete_task', { task_id: taskId });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: '42501', message: 'Only the person who created this task, a manager or an admin can delete it' });
    expect(error?.hint).toMatch(/skip it with a reason/i);
    expect(await stillThere(taskId)).toBe(true);
  });

  it('its assignee skips it with a reason, as before', async () => {
    const taskId = await taskBy(manager, 'Send the renewal quote', csmId);
    const { error } = await csm.rpc('act_on_task', { task_id: taskId, action: 'skip', params: { reason: 'The customer signed already' } });
    expect(error).toBeNull();
  });

  it('the manager who gave it deletes it', async () => {
    const taskId = await taskBy(manager, 'A task given by mistake', csmId);
    expect((await manager.rpc('delete_task', { task_id: taskId })).error).toBeNull();
    expect(await stillThere(taskId)).toBe(false);
  });
});

describe("a CSM's own task", () => {
  it('its creator deletes it', async () => {
    const taskId = await taskBy(csm, 'A task made by mistake', csmId);
    expect((await csm.rpc('delete_task', { task_id: taskId })).error).toBeNull();
    expect(await stillThere(taskId)).toBe(false);
  });

  it('a manager deletes it too', async () => {
    const taskId = await taskBy(csm, 'Another task of my own', csmId);
    expect((await manager.rpc('delete_task', { task_id: taskId })).error).toBeNull();
    expect(await stillThere(taskId)).toBe(false);
  });
});
