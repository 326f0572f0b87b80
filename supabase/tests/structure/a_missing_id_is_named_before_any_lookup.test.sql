-- A required id sent as null is named (22023) before any other id is looked up: every API
-- function taking required ids is called with null for one of them and, for the others, ids
-- that name nothing (and plausible text, numbers, dates and JSON), as an admin and as a CSM.
-- The answer must be 22023 or 42501, never PT404: an unknown id looked up first answered
-- "Customer not found" for a request that named no customer (reassign_customer,
-- hand_over_work, reassign_workflow before migration 20261210601000). The all-null call is
-- structure/missing_arguments_are_named; the calls are rolled back one by one.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

create function pg_temp.one_missing_id_answers()
returns table (fn text, arg text, answer text, message text)
language plpgsql
set search_path = ''
as $$
declare
  f record;
  v_args text[];
  v_state text;
  v_message text;
begin
  for f in
    select p.oid::regprocedure::text as signature, p.proname, p.proargnames, p.proargtypes::regtype[] as types,
           p.pronargs - p.pronargdefaults as required
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
       and p.pronargs - p.pronargdefaults > 0
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       and has_function_privilege('authenticated', p.oid, 'execute')
     order by 1
  loop
    for i in 1 .. f.required loop
      continue when f.types[i - 1] <> 'uuid'::regtype;
      v_args := array[]::text[];
      for j in 1 .. f.required loop
        v_args := v_args || case
          when j = i then 'null'
          when f.types[j - 1] = 'uuid'::regtype then quote_literal(gen_random_uuid()) || '::uuid'
          when f.types[j - 1] = 'jsonb'::regtype then '''{}''::jsonb'
          when f.types[j - 1] in ('integer'::regtype, 'bigint'::regtype, 'numeric'::regtype) then '1'
          when f.types[j - 1] = 'boolean'::regtype then 'true'
          when f.types[j - 1] in ('date'::regtype, 'timestamp with time zone'::regtype) then '''2031-01-01'''
          else '''x''' end;
      end loop;
      begin
        execute format('select public.%I(%s)', f.proname, array_to_string(v_args, ', '));
        v_state := 'success';
        raise exception 'undo the call' using errcode = 'P0001';
      exception when others then
        if v_state is distinct from 'success' then
          get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
        end if;
      end;
      fn := f.signature; arg := f.proargnames[i]; answer := v_state; message := v_message;
      return next;
      v_state := null; v_message := null;
    end loop;
  end loop;
end;
$$;
grant execute on function pg_temp.one_missing_id_answers() to authenticated;

select tests.authenticate_as('e_admin');
create temp table admin_answers as select * from pg_temp.one_missing_id_answers();
select tests.clear_authentication();
select tests.authenticate_as('e_csm');
create temp table csm_answers as select * from pg_temp.one_missing_id_answers();
select tests.clear_authentication();

-- 60 calls when this was written; fewer would mean the loop stopped early or the query lost them.
select cmp_ok((select count(*) from admin_answers), '>=', 50::bigint, 'every required id of every API function was sent as null');
select is_empty($$ select fn || ' without ' || arg || ': ' || answer || ' ' || coalesce(message, '') from admin_answers
                    where answer not in ('22023', '42501') $$,
                'as an admin, one missing id is 22023 (or 42501) even when the other ids name nothing');
select is_empty($$ select fn || ' without ' || arg || ': ' || answer || ' ' || coalesce(message, '') from csm_answers
                    where answer not in ('22023', '42501') $$,
                'as a CSM, likewise');
select * from finish();
rollback;
