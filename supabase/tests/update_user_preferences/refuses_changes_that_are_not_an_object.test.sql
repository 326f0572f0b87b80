-- changes must be an object of groups: null, an array or a scalar is refused with 22023
-- naming the argument.
begin;
select plan(3);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select throws_ok($$ select public.update_user_preferences(null) $$, '22023',
                 'changes must be an object of preference groups, e.g. {"ui": {"theme": "dark"}}', 'null is refused');
select throws_ok($$ select public.update_user_preferences('[{"ui": {"theme": "dark"}}]') $$, '22023', null, 'an array is refused');
select is_empty($$ select 1 from app.user_preferences where user_id = auth.uid() $$, 'nothing was written');

select * from finish();
rollback;
