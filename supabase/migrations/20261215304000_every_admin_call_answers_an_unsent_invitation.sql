-- Every admin call on a person answers an invitation kept unsent as it answers a sent one's
-- (docs/admin.md "Revoking or resending an invitation").
--
-- What and why: 20261215302000 let update_person and get_person_open_work find an invitation
-- kept unsent (its address has an account elsewhere, so it made nobody), which People lists as
-- it lists a sent one; hand_over_work still answered it PT404 "Person not found", where a sent
-- one's (nothing given to it yet) answers that nothing was moved. Now one rule,
-- app.person_or_unsent_invitation, finds the person a call names, or the invitation kept unsent
-- under that id as the person it would make (app.invitation_as_person), for hand_over_work and
-- get_person_open_work alike: handing over one kept unsent moves nothing and says so, as for a
-- sent one. Anything else stays PT404.
-- Restated whole: public.get_person_open_work (20261215302000) and public.hand_over_work
-- (20261211100400); the lookup is the one change of each.
-- supabase/tests/invitations/a_pending_invitation_can_be_changed.test.sql.

-- The person of this id in the organisation, or the invitation of it kept unsent under this id
-- as the person it would make; null when neither.
create function app.person_or_unsent_invitation(org_id uuid, person_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  v_person app.profiles;
begin
  select * into v_person from app.profiles p
   where p.id = person_or_unsent_invitation.person_id and p.org_id = person_or_unsent_invitation.org_id;
  if v_person.id is null then
    v_person := (select app.invitation_as_person(i) from app.invitations i
                  where i.id = person_or_unsent_invitation.person_id and i.org_id = person_or_unsent_invitation.org_id
                    and i.person_id is null);
  end if;
  return v_person;
end;
$$;
revoke execute on function app.person_or_unsent_invitation(uuid, uuid) from public, anon;
grant execute on function app.person_or_unsent_invitation(uuid, uuid) to authenticated, service_role;

create or replace function public.get_person_open_work(profile_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can see a person''s open work' using errcode = '42501';
  end if;
  perform app.require_given(get_person_open_work.profile_id is not null, 'profile_id', 'Pass the id of the person whose open work to list.');
  if (app.person_or_unsent_invitation(v_org, get_person_open_work.profile_id)).id is null then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  return app.person_open_work(get_person_open_work.profile_id, v_org);
end;
$$;

create or replace function public.hand_over_work(profile_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request jsonb := jsonb_build_object('call', 'hand_over_work', 'profile_id', hand_over_work.profile_id,
                                        'assignee_id', hand_over_work.assignee_id, 'reason', hand_over_work.reason);
  v_answer jsonb;
  v_reason text;
  v_from app.profiles;
  v_new app.profiles;
  v_customers uuid[];
  v_counts jsonb;
begin
  perform app.check_request_key(hand_over_work.idempotency_key, 'idempotency_key', 200);
  v_answer := app.answer_under_key(hand_over_work.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may hand someone''s work over' using errcode = '42501',
      hint = 'Ask your manager.';
  end if;
  -- Each id named before either is looked up: a request without one names nothing to find.
  perform app.require_given(hand_over_work.profile_id is not null, 'profile_id', 'Pass the id of the person whose work to hand over.');
  perform app.require_given(hand_over_work.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the work over.');
  v_reason := app.required_text(hand_over_work.reason, 'reason', 'to hand someone''s work over');
  -- A person, or an invitation kept unsent (listed as one; it holds nothing to move).
  v_from := app.person_or_unsent_invitation(app.current_org_id(), hand_over_work.profile_id);
  if v_from.id is null then
    raise exception 'Person not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see people of your own organisation.';
  end if;
  v_new := app.require_new_owner(v_from.org_id, hand_over_work.assignee_id);
  if v_new.id = v_from.id then
    raise exception 'assignee_id is the person whose work is handed over' using errcode = '22023';
  end if;
  -- Their customers as they are once no other hand-over can move them: the organisation's
  -- hand-overs, then the workloads, then the customers.
  perform app.lock_hand_overs_of(v_from.org_id);
  perform app.lock_workloads_of(v_from.id, v_new.id);
  select coalesce(array_agg(x.id order by x.id), '{}') into v_customers
    from (select c.id from app.customers c where c.org_id = v_from.org_id and c.assigned_to = v_from.id
           order by c.id for no key update) x;
  v_counts := app.move_work_to(v_from.org_id, v_from.id, v_new.id, v_customers, true, v_reason);
  -- Nothing left to move (another hand-over took it first): nothing to record or tell.
  if v_counts <> '{"customers": 0, "workflows": 0, "tasks": 0}'::jsonb then
    perform app.record_admin_change('person', v_from.id::text, 'hand_over', null,
                                    jsonb_build_object('assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
    perform app.notify_hand_over(v_from.org_id, v_from.id, v_new, v_from.full_name || '''s work', v_counts, null, v_reason);
  end if;
  v_answer := jsonb_build_object('profile_id', v_from.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'handed_over', v_counts);
  perform app.remember_answer(hand_over_work.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
