-- Only admins change organisation settings, workflow definitions, saved actions and
-- webhook secrets; core (global) definitions are read by all and written by none.
begin;
select plan(11);
select tests.create_rls_world();
insert into app.workflows (key, name, workflow_type, base_score) values ('core-test', 'Core test', 'custom', 50);

select tests.authenticate_as('manager_a');
select is_empty($$ update app.organisation_settings set time_zone = 'Europe/Paris' returning 1 $$, 'manager: settings match nothing');
select is_empty($$ update app.workflows set name = 'Renamed' returning 1 $$, 'manager: workflow definitions match nothing');
select throws_ok($$ insert into app.saved_actions (org_id, key, name, action_type) values (app.current_org_id(), 'mine', 'Mine', 'custom') $$,
                 '42501', null, 'manager: cannot add a saved action');
select is_empty($$ select 1 from app.webhook_secrets $$, 'manager: cannot read webhook secrets');
select isnt_empty($$ select 1 from app.workflows where org_id is null $$, 'manager: reads core definitions');

select tests.authenticate_as('admin_a');
select isnt_empty($$ update app.organisation_settings set time_zone = 'Europe/Paris' returning 1 $$, 'admin: changes settings');
select throws_ok($$ update app.organisation_settings set time_zone = 'Mars/Olympus' $$, '23514', null, 'an unknown time zone is refused');
select isnt_empty($$ update app.workflows set name = 'Renamed' where org_id is not null returning 1 $$, 'admin: changes their organisation''s definitions');
select is_empty($$ update app.workflows set name = 'Renamed' where org_id is null returning 1 $$, 'admin: core definitions match nothing');
select lives_ok($$ insert into app.webhook_secrets (org_id, secret) values (app.current_org_id(), 'whsec_' || encode(extensions.gen_random_bytes(24), 'base64')) $$,
                'admin: adds a webhook secret');
select lives_ok($$ insert into app.saved_actions (org_id, key, name, action_type) values (app.current_org_id(), 'mine', 'Mine', 'custom') $$,
                'admin: adds a saved action');

select * from finish();
rollback;
