-- An approval is of the version the approver read (docs/ai-assistant.md, artifacts).
--
-- What and why: approve_artifact approved whatever the draft held when the call arrived. A
-- person reading version 1 of an email draft (To: the customer's champion) could press Approve
-- after a colleague (or an agent's draft edited in another tab) had made it version 2 with
-- another recipient: version 2 was approved, and sent as approved, though nobody who approved
-- it had seen its recipients. An edit after an approval already withdraws it (update_artifact);
-- an approval of a version nobody read is now refused the same way an edit of a stale version
-- is.
--
--   * public.approve_artifact gains base_version (integer, default null): the version the
--     approver read. Approving with a base_version that is not the draft's version now, once
--     the draft is locked (app.artifact_for_write), is refused PT409 'This draft changed since
--     you read it', nothing changed, the version now in detail; the web app always passes it.
--     Withdrawing an approval takes no version: it only ever stops a send. Without
--     base_version the call approves as before (callers that read nothing first, such as a
--     script), so nothing that called it breaks.
--   * Restated whole from 20261211100200 (the only change the version check); the old
--     two-argument function is dropped first, so there is one approve_artifact.
-- supabase/tests/approve_artifact/an_approval_is_of_the_version_read.test.sql.

drop function public.approve_artifact(uuid, boolean);

create function public.approve_artifact(artifact_id uuid, approved boolean default true, base_version integer default null)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  settings app.organisation_settings;
begin
  if approve_artifact.approved is null then
    raise exception 'approved must be true or false' using errcode = '22023', hint = 'Pass false to withdraw an approval.';
  end if;
  if approve_artifact.base_version is not null and approve_artifact.base_version < 1 then
    raise exception 'base_version must be the version you read (1 or more)' using errcode = '22023';
  end if;
  artifact := app.artifact_for_write(approve_artifact.artifact_id);

  -- What is approved is what the approver read: a draft changed since (another recipient, a
  -- new subject) is read again first. Checked once locked, so no edit slips in between.
  if approve_artifact.approved and approve_artifact.base_version is not null
     and approve_artifact.base_version <> artifact.version then
    raise exception 'This draft changed since you read it: it is version % now, you read version %',
      artifact.version, approve_artifact.base_version
      using errcode = 'PT409', detail = format('current_version=%s', artifact.version),
      hint = 'Read the draft as it is now (its recipients too), then approve it.';
  end if;

  -- Four eyes: where approval is required, whoever wrote the current text approves it only
  -- when the organisation allows it — the creator, or the colleague who last rewrote it.
  if approve_artifact.approved and app.artifact_text_author(artifact) = (select auth.uid()) then
    select * into settings from app.organisation_settings s where s.org_id = artifact.org_id;
    if coalesce(settings.require_email_approval, true) and not coalesce(settings.allow_self_approval, false) then
      raise exception 'You may not approve a draft whose current text you wrote' using errcode = '42501',
        hint = 'Ask a manager or a colleague to approve it; an admin can allow self-approval in the organisation settings.';
    end if;
  end if;

  -- Approving an approved artifact (or withdrawing an unapproved one) changes nothing.
  if (artifact.approved_by is not null) = approve_artifact.approved then
    return app.artifact_json(artifact);
  end if;

  -- Withdrawing: a send waiting in the queue (or failed) is stopped with it; an email
  -- already delivered, or being delivered now, keeps its approval. Cancel first, then look:
  -- the cancel waits for a drain claiming the row right now, and the look after it (a new
  -- statement, so a new snapshot) sees what that claim committed.
  if not approve_artifact.approved and artifact.artifact_type = 'email_draft' then
    perform app.cancel_unsent_email(artifact.id, artifact.org_id, array['queued', 'failed'], 'Its approval was withdrawn before it went out');
    -- (its queued sends were cancelled just now, so what remains is on its way or sent)
    if app.email_is_sent_or_on_its_way(artifact) then
      raise exception 'This email was sent (or is being delivered now); its approval stays as it went out' using errcode = 'PT409',
        hint = 'To send something else, ask the assistant for a new draft or write one.';
    end if;
  end if;

  update app.workflow_task_artifacts a
     set approved_by = case when approve_artifact.approved then (select auth.uid()) end,
         approved_at = case when approve_artifact.approved then now() end,
         metadata = jsonb_set(a.metadata, '{approval_log}',
           app.appended_to_log(a.metadata -> 'approval_log', jsonb_build_object(
             'approved', approve_artifact.approved, 'by', (select auth.uid()), 'at', now())))
   where a.id = artifact.id
  returning * into artifact;
  return app.artifact_json(artifact);
end;
$$;
revoke execute on function public.approve_artifact(uuid, boolean, integer) from public, anon;
grant execute on function public.approve_artifact(uuid, boolean, integer) to authenticated;
comment on function public.approve_artifact(uuid, boolean, integer) is 'Approves an artifact (who, when) or withdraws the approval (stopping an email not yet delivered); both are logged in metadata.approval_log. With base_version, approves only the version the approver read (PT409 once it changed). Whoever wrote the current text may approve it only where the organisation allows it (42501).';
