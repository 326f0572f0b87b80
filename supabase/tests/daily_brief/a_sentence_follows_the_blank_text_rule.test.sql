-- A brief's sentence follows the blank-text rule (app.trimmed): one of invisible characters
-- alone is refused, and a sentence is stored and mailed without those around it
-- (migration 20261206350000).
begin;
select plan(4);
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();
select public.store_daily_briefs(profile_id => :'csm') is not null as stored \gset
select id as brief from app.daily_briefs where profile_id = :'csm' \gset

select throws_ok(format($$select public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', '%s', 'model', 'm',
    'sentences', jsonb_build_array(jsonb_build_object('text', U&'\200B\2060\FEFF', 'facts', '[]'::jsonb)))))$$, :'brief'),
  '22023', null, 'a sentence of a zero-width space, a word joiner and a byte-order mark is refused');
select is((select written_at from app.daily_briefs where id = :'brief'), null, 'and nothing was written');

select is(public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', :'brief', 'model', 'm',
    'sentences', jsonb_build_array(jsonb_build_object('text', U&'\200B\00A0All quiet.\FEFF', 'facts', '[]'::jsonb))))), 1, 'a brief is written');
select is((select (b.sentences -> 0 ->> 'text', b.text, o.body_text like U&'- All quiet.\000A%')::text
             from app.daily_briefs b join app.email_outbox o on o.id = b.email_outbox_id where b.id = :'brief'),
  '("All quiet.","- All quiet.",t)', 'its sentence is stored, shown and mailed without the blank characters around it');
select * from finish();
rollback;
