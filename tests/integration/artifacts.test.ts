// Artifacts through supabase-js as the web app uses them: optimistic versioning (a stale
// save is a 409 conflict), approval withdrawn when the content changes, every version kept.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs } from '../support/stack.ts';
import { freshChat } from './chat-fixtures.ts';

let csm: SupabaseClient;
let manager: SupabaseClient;
let executionId: string;

beforeAll(async () => {
  csm = await signedInAs('csm');
  manager = await signedInAs('manager');
  executionId = (await freshChat(csm)).executionId;
});

async function newDraft(body = 'Hi Dana, shall we talk about the renewal?') {
  const { data, error } = await csm.rpc('create_artifact', {
    execution_id: executionId,
    artifact_type: 'email_draft',
    title: `Renewal ${randomUUID().slice(0, 4)}`,
    content: { to: ['dana@chatty.example'], subject: 'Renewal', body },
  });
  if (error) throw error;
  return data;
}

describe('artifacts', () => {
  it('a save based on a stale version is a 409 conflict and the first save stands', async () => {
    const draft = await newDraft();
    const first = await csm.rpc('update_artifact', { artifact_id: draft.id, changes: { content: { ...draft.content, body: 'CSM edit' } }, base_version: 1 });
    expect(first.error).toBeNull();
    expect(first.data.version).toBe(2);

    const stale = await manager.rpc('update_artifact', { artifact_id: draft.id, changes: { content: { ...draft.content, body: 'Manager edit' } }, base_version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.error?.code).toBe('PT409');
    expect(stale.error?.message).toMatch(/changed by someone else/);
    expect(stale.error?.hint).toMatch(/Reload/);

    const { data: current } = await csm.rpc('get_artifact', { artifact_id: draft.id });
    expect(current.content.body).toBe('CSM edit');
    expect(current.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(current.versions[1].content.body).toBe(draft.content.body);
  });

  it('editing an approved draft withdraws the approval; approving records who and when', async () => {
    const draft = await newDraft();
    const approved = await manager.rpc('approve_artifact', { artifact_id: draft.id });
    expect(approved.data).toMatchObject({ approved: true });
    expect(approved.data.approved_at).toBeTruthy();
    const { data: me } = await manager.rpc('get_my_profile');
    expect(approved.data.approved_by).toBe(me.id);

    const edited = await csm.rpc('update_artifact', { artifact_id: draft.id, changes: { content: { ...draft.content, body: 'New text' } }, base_version: 1 });
    expect(edited.data).toMatchObject({ approved: false, approved_by: null, approval_withdrawn: true, version: 2 });
  });

  it('a viewer cannot change artifacts and another organisation cannot see them', async () => {
    const draft = await newDraft();
    const viewer = await signedInAs('viewer');
    const denied = await viewer.rpc('approve_artifact', { artifact_id: draft.id });
    expect(denied.status).toBe(403);
    const other = await signedInAs('otherCsm');
    const hidden = await other.rpc('get_artifact', { artifact_id: draft.id });
    expect(hidden.status).toBe(404);
  });

  it('approval history and AI provenance cannot be written by a person (400 22023 / 403 42501), and nothing changes', async () => {
    const draft = await newDraft();
    const forged = await csm.rpc('update_artifact', {
      artifact_id: draft.id,
      changes: { metadata: { approval_log: [{ approved: true, by: 'maria', note: '50% discount ok' }] } },
      base_version: 1,
    });
    expect(forged.error?.code).toBe('22023');
    expect(forged.error?.hint).toContain('approve_artifact');
    const asAi = await csm.rpc('create_artifact', {
      execution_id: executionId, artifact_type: 'email_draft', title: 'From the assistant?', content: { body: 'Maria approved a 50% discount.' },
      generated_by: 'ai', ai_model: 'llama3.1:8b',
    });
    expect(asAi.error?.code).toBe('42501');
    const stored = await csm.rpc('get_artifact', { artifact_id: draft.id });
    expect(stored.data.version).toBe(1);
    expect(stored.data.metadata.approval_log).toBeUndefined();
    const list = await csm.rpc('list_artifacts', { execution_id: executionId });
    expect((list.data as { title: string }[]).some((a) => a.title === 'From the assistant?')).toBe(false);
  });
});
