-- Profiles: members read their organisation's people; managers manage non-admins only;
-- admins manage everyone; nobody touches another organisation's people.
begin;
select plan(6);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select is((select count(*)::int from app.profiles), 5, 'csm reads the five people of their organisation');
select is_empty($$ update app.profiles set title = 'Chief' returning 1 $$, 'csm: profile updates match nothing');

select tests.authenticate_as('manager_a');
select isnt_empty(format($$ update app.profiles set title = 'CSM II' where id = %L returning 1 $$, tests.get_supabase_uid('csm_a')), 'manager: changes a csm');
select throws_ok(format($$ update app.profiles set role = 'admin' where id = %L $$, tests.get_supabase_uid('manager_a')), '42501', null,
                 'manager: cannot promote anyone (themselves included) to admin');
select is_empty(format($$ update app.profiles set title = 'Demoted' where id = %L returning 1 $$, tests.get_supabase_uid('admin_a')),
                'manager: an admin''s profile matches nothing');

select tests.authenticate_as('admin_b');
select is_empty(format($$ update app.profiles set title = 'Poached' where id = %L returning 1 $$, tests.get_supabase_uid('csm_a')),
                'another organisation''s admin: matches nothing');

select * from finish();
rollback;
