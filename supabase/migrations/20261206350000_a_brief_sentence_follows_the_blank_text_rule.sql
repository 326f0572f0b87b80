-- A brief's sentence follows the blank-text rule (app.trimmed), as every other stored text:
-- write_daily_briefs refused a sentence only when btrim() left nothing, so a model's line of
-- a zero-width space (U+200B), word joiner or byte-order mark, with a citation, was stored and
-- shown and mailed as an empty '- ' line, and a sentence kept the invisible characters around
-- it. Now such a sentence is refused (22023) and every sentence is stored trimmed.
-- (The function's side, functions-shared/brief/render.ts parseCitedLines, drops such a line
-- before it gets here.)
-- write_daily_briefs restated whole from 20261206241000_a_brief_digest_is_read_by_its_recipient.sql.
-- Test: supabase/tests/daily_brief/a_sentence_follows_the_blank_text_rule.test.sql.

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
  v_sentences jsonb;
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
      if app.trimmed(v_sentence ->> 'text') is null or jsonb_typeof(v_sentence -> 'facts') is distinct from 'array' then
        raise exception 'each sentence needs text and the ids of the facts it rests on' using errcode = '22023';
      end if;
      for v_fact in select jsonb_array_elements_text(v_sentence -> 'facts') loop
        if not exists (select 1 from jsonb_array_elements(b.facts) f where f ->> 'id' = v_fact) then
          raise exception 'A sentence cites fact "%", which this brief does not hold', v_fact using errcode = '22023';
        end if;
      end loop;
    end loop;

    -- Each sentence is stored without the blank characters around it (app.trimmed).
    v_sentences := coalesce((select jsonb_agg(s || jsonb_build_object('text', app.trimmed(s ->> 'text')) order by n)
                               from jsonb_array_elements(item -> 'sentences') with ordinality x(s, n)), '[]'::jsonb);
    update app.daily_briefs d
       set sentences = v_sentences,
           -- One sentence per line, as the web app lists them and the email reads best.
           text = coalesce((select string_agg('- ' || (s ->> 'text'), E'\n' order by n) from jsonb_array_elements(v_sentences) with ordinality x(s, n)), ''),
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

