-- Every API function answers a missing required argument with 22023 naming it (or 42501
-- when the caller's role may not call it at all): never PT404 (a null looked up and not
-- found), another code, or success, and the 22023's message names one of its arguments.
-- Each function with required arguments is called with null for all of them, as an admin
-- and as a CSM; the calls are rolled back one by one.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

create function pg_temp.missing_argument_answers()
returns table (fn text, args text[], answer text, message text)
language plpgsql
set search_path = ''
as $$
declare
  f record;
  v_state text;
  v_message text;
begin
  for f in
    select p.oid::regprocedure::text as signature, p.proname, p.proargnames, p.pronargs - p.pronargdefaults as required
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
       and p.pronargs - p.pronargdefaults > 0
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       and has_function_privilege('authenticated', p.oid, 'execute')
     order by 1
  loop
    begin
      execute format('select public.%I(%s)', f.proname, array_to_string(array_fill('null'::text, array[f.required]), ', '));
      v_state := 'success';
      raise exception 'undo the call' using errcode = 'P0001';
    exception when others then
      if v_state is distinct from 'success' then
        get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
      end if;
    end;
    fn := f.signature; args := f.proargnames; answer := v_state; message := v_message;
    return next;
    v_state := null; v_message := null;
  end loop;
end;
$$;
grant execute on function pg_temp.missing_argument_answers() to authenticated;

select tests.authenticate_as('e_admin');
create temp table admin_answers as select * from pg_temp.missing_argument_answers();
select tests.authenticate_as('e_csm');
create temp table csm_answers as select * from pg_temp.missing_argument_answers();
select tests.clear_authentication();

-- 53 when this was written; fewer would mean the loop stopped early or the query lost them.
select cmp_ok((select count(*) from admin_answers), '>=', 50::bigint, 'every API function with required arguments was called');
select is_empty($$ select fn || ': ' || answer || ' ' || coalesce(message, '') from admin_answers where answer not in ('22023', '42501') $$,
                'as an admin, a missing required argument is 22023 (or 42501), never PT404, another code or success');
select is_empty($$ select fn || ': ' || answer || ' ' || coalesce(message, '') from csm_answers where answer not in ('22023', '42501') $$,
                'as a CSM, likewise');
select is_empty($$ select fn || ': ' || message from admin_answers a
                    where answer = '22023' and not exists (select 1 from unnest(a.args) x where strpos(a.message, x) > 0) $$,
                'as an admin, each 22023 names one of the function''s arguments');
select is_empty($$ select fn || ': ' || message from csm_answers a
                    where answer = '22023' and not exists (select 1 from unnest(a.args) x where strpos(a.message, x) > 0) $$,
                'as a CSM, likewise');
select * from finish();
rollback;
