-- Writing a brief: every sentence must cite facts the brief holds; a written brief is
-- never rewritten; the digest goes by email per the emailDigest preference; a person
-- reads their own brief (managers their organisation's) and nobody writes one directly.
begin;
select plan(11);
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();
select public.store_daily_briefs(profile_id => :'csm') is not null as stored \gset
select id as brief, facts -> 0 ->> 'id' as first_fact from app.daily_briefs where profile_id = :'csm' \gset
select public.store_daily_briefs(profile_id => :'csm2') is not null as stored2 \gset
update app.user_preferences set notifications = notifications || '{"emailDigest": "off"}' where user_id = :'csm2';
insert into app.user_preferences (user_id, org_id, notifications) values (:'csm2', :'org', '{"emailDigest": "off"}') on conflict do nothing;

select throws_ok(format($$select public.write_daily_briefs('[{"brief_id": "%s", "model": "m", "sentences": [{"text": "Acme churned.", "facts": ["f99"]}]}]')$$, :'brief'),
  '22023', null, 'a sentence citing a fact the brief does not hold is refused');
select is((select written_at from app.daily_briefs where id = :'brief'), null, 'and nothing was written');
select is(public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', :'brief', 'model', 'built-in offline model',
    'sentences', jsonb_build_array(jsonb_build_object('text', 'All quiet.', 'facts', '[]'::jsonb))))), 1, 'a brief is written');
select is(public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', :'brief', 'model', 'other',
    'sentences', jsonb_build_array(jsonb_build_object('text', 'Changed!', 'facts', '[]'::jsonb))))), 0, 'and never rewritten');
select is((select text from app.daily_briefs where id = :'brief'), '- All quiet.', 'the first text stays');
select is((select (o.to_addresses[1], o.status)::text from app.email_outbox o join app.daily_briefs b on b.email_outbox_id = o.id where b.id = :'brief'),
  '(e_csm@test.renubu.dev,queued)', 'the daily digest (the default) is queued for the person');
select public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', id, 'model', 'm', 'sentences', '[]'::jsonb)))
  from app.daily_briefs where profile_id = :'csm2';
select is((select email_outbox_id from app.daily_briefs where profile_id = :'csm2'), null, 'no email when the digest is off');

select tests.authenticate_as('e_csm');
select is(public.get_daily_brief() ->> 'text', '- All quiet.', 'the person reads their brief');
select tests.authenticate_as('e_csm2');
select is((select count(*)::int from app.daily_briefs where profile_id = :'csm'), 0, 'another CSM cannot read it');
select tests.authenticate_as('o_manager');
select is((select count(*)::int from app.daily_briefs), 0, 'nor can another organisation''s manager');
select tests.authenticate_as('e_csm');
select throws_ok($$select public.store_daily_briefs()$$, '42501', null, 'people cannot make briefs themselves');
select * from finish();
rollback;
