-- The mention a note sends says the note once. log_engagement stores a note's first line as
-- its title and the whole note as its description, and the notification's body joined both,
-- so "Pricing call; @Maria Manager asked to join." reached Maria as that sentence twice, one
-- line under the other. A title the note begins with is not said again; a note whose title is
-- something else (a manager writing the table) still says both, the title first.
-- Restated from 20261211100000.
create or replace function app.engagement_events_notify_mentions()
returns trigger
language plpgsql
security definer -- notifies colleagues whose notifications the author cannot read
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_by text;
  v_customer text;
  v_text text := case when new.title is null or starts_with(coalesce(new.description, ''), new.title)
                      then coalesce(new.description, new.title)
                      else concat_ws(E'\n', new.title, new.description) end;
begin
  if v_me is null then
    return null; -- ingested by a webhook: nobody wrote it here
  end if;
  if new.metadata -> 'details' ? 'logged_by_agent' then
    return null; -- an agent's words: no person mentioned anyone
  end if;
  select p.full_name into v_by from app.profiles p where p.id = v_me and p.org_id = new.org_id;
  select c.name into v_customer from app.customers c where c.id = new.customer_id;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select new.org_id, m.id, 'mention',
         coalesce(v_by, 'Someone') || ' mentioned you in a ' || replace(new.event_type, '_', ' ') || coalesce(' on ' || v_customer, ''),
         left(v_text, 280),
         jsonb_build_object('customer_id', new.customer_id, 'engagement_event_id', new.id, 'by', v_me)
    from app.mentioned_people(new.org_id, v_text) m(id)
   where m.id is distinct from v_me;
  return null;
end;
$$;
revoke execute on function app.engagement_events_notify_mentions() from public, anon;
