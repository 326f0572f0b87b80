-- app.contract_field_json_type (migration 20261208700000) and app.ingest_free_form_max_bytes
-- (20261208702000) were written as `language sql`; a one-expression helper is PL/pgSQL so its
-- body is planned once per session, not per call (docs/schema.md;
-- supabase/tests/structure/one_expression_helpers_are_plpgsql.test.sql). Restated whole;
-- what they answer is unchanged.

create or replace function app.contract_field_json_type(field_key text)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case
    when field_key in ('auto_renew', 'termination_for_convenience') then 'boolean'
    when field_key in ('notice_period_days', 'term_months', 'annual_value', 'price_increase_cap_pct') then 'number'
    else 'string' end;
end;
$$;

create or replace function app.ingest_free_form_max_bytes()
returns integer
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return 16384;
end;
$$;
