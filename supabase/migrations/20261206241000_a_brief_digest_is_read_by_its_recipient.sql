-- A daily brief's email digest is read by its recipient, managers and admins, as the brief
-- itself is, and stays out of Sent mail (docs/daily-brief.md "By email", docs/data-model.md
-- "Reading").
--
-- What and why: a brief is private to its CSM (daily_briefs: the owner, managers and
-- admins read it), but write_daily_briefs queues its text as an email in app.email_outbox,
-- whose read rule was "every member of the organisation". So any colleague, viewers
-- included, read every CSM's brief through list_outbox_messages (the Sent mail page) or
-- any other read of the outbox: which customers come first for Casey, what changed in
-- Sam's book. The digest was also listed in everyone's Sent mail, though the brief's
-- documentation says it stays out of it.
--
-- Now: the outbox row of Renubu's own mail to a member names that member
-- (email_outbox.recipient_id; null for mail sent from a workflow), set by write_daily_briefs
-- and filled in here for the digests already queued. The outbox's read policy lets members
-- read the organisation's mail but another member's digest, which only its recipient,
-- managers and admins read (a rule only this table uses, so it is written out beside it).
-- list_outbox_messages lists the mail people sent (recipient_id is null), in its own index,
-- so a year of digests never lies between a page's rows.
--
-- write_daily_briefs restated whole from 20261204000800, list_outbox_messages from
-- 20261204000200; the recipient is the only change.
-- supabase/tests/daily_brief/a_digest_is_read_by_its_recipient.test.sql.

alter table app.email_outbox add column recipient_id uuid;
alter table app.email_outbox add constraint email_outbox_recipient_is_in_organisation
  foreign key (recipient_id, org_id) references app.profiles (id, org_id) on delete cascade;
comment on column app.email_outbox.recipient_id is
  'Renubu''s own mail to a member (a daily brief''s digest): that member, who alone (with managers and admins) reads it; null for mail sent from a workflow.';
create index email_outbox_recipient_id_idx on app.email_outbox (recipient_id, org_id) where recipient_id is not null;
-- Sent mail's keyset pages, without the digests.
create index email_outbox_sent_mail_idx on app.email_outbox (org_id, created_at desc, id desc) where recipient_id is null;

update app.email_outbox o
   set recipient_id = b.profile_id
  from app.daily_briefs b
 where b.email_outbox_id = o.id and b.org_id = o.org_id and o.recipient_id is null;

drop policy "Members can read their organisation's outgoing email" on app.email_outbox;
create policy "Members can read outgoing email but others' brief digests"
  on app.email_outbox for select to authenticated
  using (org_id = (select app.current_org_id())
         and (recipient_id is null or recipient_id = (select auth.uid()) or (select app.has_role('manager', 'admin'))));

create or replace function public.list_outbox_messages(page_size integer default 50, cursor text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_cur jsonb;
  c_at timestamptz;
  c_id uuid;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have an outbox' using errcode = '42501';
  end if;
  perform app.check_page_size(list_outbox_messages.page_size);
  if list_outbox_messages.cursor is not null then
    begin
      v_cur := convert_from(decode(list_outbox_messages.cursor, 'base64'), 'UTF8')::jsonb;
      c_at := (v_cur ->> 'c')::timestamptz;
      c_id := (v_cur ->> 'i')::uuid;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged.';
    end if;
  end if;

  with page as (
    select o.*
      from app.email_outbox o
     where o.org_id = v_org
       and o.recipient_id is null
       and (c_id is null or (o.created_at, o.id) < (c_at, c_id))
     order by o.created_at desc, o.id desc
     limit list_outbox_messages.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.created_at desc, page.id desc) as rn from page
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'to', to_jsonb(n.to_addresses), 'cc', to_jsonb(n.cc_addresses),
           'subject', n.subject, 'body_text', n.body_text, 'body_html', n.body_html,
           'status', n.status, 'attempts', n.attempts, 'last_error', n.last_error,
           'provider_message_id', n.provider_message_id, 'sent_at', n.sent_at,
           'created_at', n.created_at, 'updated_at', n.updated_at,
           'execution_id', n.execution_id, 'artifact_id', n.artifact_id,
           'requested_by', case when n.requested_by is null then null else jsonb_build_object(
             'id', n.requested_by,
             'full_name', (select p.full_name from app.profiles p where p.id = n.requested_by and p.org_id = n.org_id)) end,
           'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                          from app.workflow_executions x
                          join app.customers c on c.id = x.customer_id and c.org_id = x.org_id
                         where x.id = n.execution_id and x.org_id = n.org_id))
           order by n.rn) filter (where n.rn <= list_outbox_messages.page_size), '[]'::jsonb),
         case when count(*) > list_outbox_messages.page_size then
           (select encode(convert_to(jsonb_build_object('c', l.created_at, 'i', l.id)::text, 'UTF8'), 'base64')
              from numbered l where l.rn = list_outbox_messages.page_size)
         end
    into v_items, v_next
    from numbered n;

  return jsonb_build_object('items', v_items, 'next_cursor', replace(v_next, E'\n', ''));
end;
$$;

create or replace function public.write_daily_briefs(briefs jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  item jsonb;
  b app.daily_briefs;
  v_sentence jsonb;
  v_fact text;
  v_written integer := 0;
  v_digest text;
  v_outbox uuid;
  v_email text;
begin
  if write_daily_briefs.briefs is null or jsonb_typeof(write_daily_briefs.briefs) <> 'array' then
    raise exception 'briefs must be a JSON array of {brief_id, sentences, model}' using errcode = '22023';
  end if;
  for item in select value from jsonb_array_elements(write_daily_briefs.briefs) loop
    if jsonb_typeof(item -> 'sentences') is distinct from 'array' or coalesce(item ->> 'model', '') = '' then
      raise exception 'each brief needs sentences (an array) and the model that wrote them' using errcode = '22023';
    end if;
    select * into b from app.daily_briefs d where d.id = (item ->> 'brief_id')::uuid for update;
    if not found then
      raise exception 'Brief % not found', item ->> 'brief_id' using errcode = 'PT404';
    end if;
    continue when b.written_at is not null;  -- written already: a retry changes nothing
    -- No source, no claim: every sentence rests on facts this brief holds.
    for v_sentence in select value from jsonb_array_elements(item -> 'sentences') loop
      if coalesce(btrim(v_sentence ->> 'text'), '') = '' or jsonb_typeof(v_sentence -> 'facts') is distinct from 'array' then
        raise exception 'each sentence needs text and the ids of the facts it rests on' using errcode = '22023';
      end if;
      for v_fact in select jsonb_array_elements_text(v_sentence -> 'facts') loop
        if not exists (select 1 from jsonb_array_elements(b.facts) f where f ->> 'id' = v_fact) then
          raise exception 'A sentence cites fact "%", which this brief does not hold', v_fact using errcode = '22023';
        end if;
      end loop;
    end loop;

    update app.daily_briefs d
       set sentences = item -> 'sentences',
           -- One sentence per line, as the web app lists them and the email reads best.
           text = coalesce((select string_agg('- ' || (s ->> 'text'), E'\n') from jsonb_array_elements(item -> 'sentences') s), ''),
           model = left(item ->> 'model', 100),
           written_at = now()
     where d.id = b.id
    returning * into b;
    v_written := v_written + 1;

    -- The email digest, through the outbox (daily; weekly on Mondays, local time).
    select coalesce(u.notifications ->> 'emailDigest', 'daily') into v_digest
      from app.profiles p left join app.user_preferences u on u.user_id = p.id where p.id = b.profile_id;
    select p.email into v_email from app.profiles p where p.id = b.profile_id;
    if b.text is not null and b.text <> ''
       and (v_digest = 'daily' or (v_digest = 'weekly' and extract(isodow from b.brief_date) = 1)) then
      -- Renubu's own mail to the person, not mail they sent: no requester, and the person as
      -- its recipient (so it stays out of Sent mail and only they, managers and admins read
      -- it, as the brief itself); the brief links to it.
      insert into app.email_outbox (org_id, recipient_id, to_addresses, subject, body_text)
      values (b.org_id, b.profile_id, array[v_email], 'Your Renubu brief for ' || to_char(b.brief_date, 'FMDD Mon YYYY'),
              b.text || E'\n\nOpen Renubu to see the facts behind each sentence.')
      returning id into v_outbox;
      update app.daily_briefs d set email_outbox_id = v_outbox where d.id = b.id;
    end if;
  end loop;
  return v_written;
end;
$$;

