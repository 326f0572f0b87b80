// The execute-action body schema (shared with the web app).
import { describe, expect, it } from 'vitest';
import { ExecuteActionBody } from '../../functions-shared/api/functions.ts';

const id = '5fbd4ea2-b518-45dc-8c19-e126fc972453';

describe('ExecuteActionBody', () => {
  it('accepts a full body and defaults params to {}', () => {
    expect(ExecuteActionBody.parse({ action_key: 'snooze', execution_id: id })).toEqual({ action_key: 'snooze', execution_id: id, params: {} });
    expect(ExecuteActionBody.parse({ action_key: 'create_task', execution_id: id, params: { due_date: '2030-01-01' }, idempotency_key: 'k' }).idempotency_key).toBe('k');
  });
  it.each([
    [{ execution_id: id }, 'action_key'],
    [{ action_key: 'Snooze', execution_id: id }, 'action_key'],
    [{ action_key: 'snooze' }, 'execution_id'],
    [{ action_key: 'snooze', execution_id: 'x' }, 'execution_id'],
    [{ action_key: 'snooze', execution_id: id, params: [] }, 'params'],
    [{ action_key: 'snooze', execution_id: id, idempotency_key: '' }, 'idempotency_key'],
    [{ action_key: 'snooze', execution_id: id, idempotency_key: 'k'.repeat(201) }, 'idempotency_key'],
  ])('refuses %j (names %s)', (body, field) => {
    const parsed = ExecuteActionBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});
