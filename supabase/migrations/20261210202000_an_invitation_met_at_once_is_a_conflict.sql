-- An invitation whose Auth call meets the same address being made by another request at that
-- moment is a conflict, 409, never 502 (docs/admin.md "Inviting someone"; docs/reliability.md).
--
-- What and why: the same invitation sent several times at once (Send invitation pressed twice,
-- two admins, a retry while the first is in flight) with no user in Auth yet: every request
-- passed check_invited_person and asked the Auth API to make the user; one made it, and the
-- others' inserts met the address's unique index and failed (GoTrue: 500 "Database error saving
-- new user"; the local stack the same). invite-person took that for Auth being down and
-- answered 502 "The invitation could not be sent. Please try again.", a failure of ours, for a
-- request whose retry could only be 409, or under a key, the person made.
--
-- Now check_invited_person also says whether Auth holds a user with the address
-- (has_account, app.address_has_account). invite-person asks it before and again after a
-- failed Auth call: an address that had no user before and has one now was made by a request
-- at the same time, so the answer is that request's person under the same key (200 replayed)
-- once it is made, else 409 PT409 "That address is being invited by another request at this
-- moment." (a person made by then: "That person already belongs to an organisation", as
-- before). Auth failing on an address it held before is still 502.
--
-- check_invited_person restated whole from 20261207703000; has_account is the only change.
-- tests/integration/invitations-sent-at-once.test.ts.

-- Whether Auth holds a user with this address (any state: invited, signed in).
create function app.address_has_account(email text)
returns boolean
language sql
stable
security definer -- auth.users is not readable by API roles; answers a yes or no for one address, to the service role only
set search_path = ''
as $$
  select exists (select 1 from auth.users u
                  where lower(u.email) = lower(btrim(address_has_account.email)) and u.deleted_at is null);
$$;
revoke execute on function app.address_has_account(text) from public, anon, authenticated;
grant execute on function app.address_has_account(text) to service_role;
comment on function app.address_has_account(text) is
  'Whether Auth holds a user with this address (invite-person: a failed Auth call on an address that had none before met a request making it at the same time).';

create or replace function public.check_invited_person(
  actor_id uuid, email text, full_name text, role text,
  manager_id uuid default null, title text default null, experience_level text default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_made app.person_invitations;
  v_person app.profiles;
begin
  perform app.check_request_key(check_invited_person.idempotency_key, 'idempotency_key', 200);
  -- Invited already under this key (an answer lost on its way back): that person, if it is the
  -- same invitation; nothing is made or mailed again.
  select * into v_made from app.person_invitations i
   where i.invited_by = check_invited_person.actor_id and i.request_key = check_invited_person.idempotency_key;
  if found then
    if v_made.request is distinct from app.invitation_request(check_invited_person.email, check_invited_person.full_name,
         check_invited_person.role, check_invited_person.manager_id, check_invited_person.title, check_invited_person.experience_level) then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new invitation.';
    end if;
    select * into v_person from app.profiles p where p.id = v_made.person_id;
    return jsonb_build_object('ok', true, 'replayed', true,
                              'person', app.person_json(v_person) || jsonb_build_object('status', 'invited'));
  end if;
  perform app.invitation_organisation(check_invited_person.actor_id, check_invited_person.email,
                                      check_invited_person.full_name, check_invited_person.role,
                                      check_invited_person.manager_id, check_invited_person.title,
                                      check_invited_person.experience_level);
  -- Whether Auth holds the address already: asked again after a failed Auth call, it tells a
  -- request making it at the same time (has_account now, not before) from Auth being down.
  return jsonb_build_object('ok', true, 'has_account', app.address_has_account(check_invited_person.email));
end;
$$;
comment on function public.check_invited_person(uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link; under a key already used, answers the person it invited (replayed) or PT409; else {ok, has_account}, whether Auth holds a user with the address.';
