-- A mention notifies only people who can still sign in (docs/escalation-loop.md, the
-- notifications table).
--
-- What and why: app.mentioned_people matched every profile of the organisation, so
-- "@casey" in a chat message or a logged note put a notification in the inbox of a Casey
-- who had been deactivated. They can no longer sign in to read it, and nobody else sees
-- it: the notification was noise kept forever. The same rule already keeps work from
-- being handed to a deactivated person (app.refuse_assignment_to_deactivated).
--
-- Restated whole from 20261204001000; `p.deactivated_at is null` is the only change.
-- supabase/tests/notifications/mentions_skip_deactivated_people.test.sql.

create or replace function app.mentioned_people(org_id uuid, content text)
returns setof uuid
language sql
stable
set search_path = ''
as $$
  select p.id
    from app.profiles p
   where p.org_id = mentioned_people.org_id
     and p.deactivated_at is null
     and position('@' in coalesce(mentioned_people.content, '')) > 0
     and exists (
       select 1
         from unnest(array[p.full_name, split_part(p.email, '@', 1)]) as n(name)
        where length(btrim(n.name)) >= 2
          and mentioned_people.content ~* ('(^|[^[:alnum:]_.@])@'
                || regexp_replace(btrim(n.name), '([.*+?^${}()|\[\]\\-])', '\\\1', 'g')
                || '($|[^[:alnum:]_@-]|\.($|[^[:alnum:]_]))'))
$$;
