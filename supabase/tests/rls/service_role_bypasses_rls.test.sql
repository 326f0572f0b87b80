-- The service role (Edge Functions, ingest, cron) sees and writes every organisation's rows.
begin;
select plan(3);
select tests.create_rls_world();

select tests.authenticate_as_service_role();
select is((select count(distinct org_id)::int from app.customers where org_id in (tests.org_id('Org A'), tests.org_id('Org B')))::int, 2, 'service role reads both organisations');
select isnt_empty(format($$ update app.customers set health_score = 90 where id = %L returning 1 $$, tests.row_id('customers', 'b')),
                  'service role writes any organisation''s rows');
select lives_ok(format($$ insert into app.processed_webhooks (org_id, webhook_id) values (%L, 'msg_1') $$, tests.org_id('Org A')),
                'service role records processed webhooks');

select * from finish();
rollback;
