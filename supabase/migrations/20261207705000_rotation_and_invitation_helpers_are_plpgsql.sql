-- The two one-expression helpers of 20261207700000 (app.webhook_rotation_json) and
-- 20261207703000 (app.invitation_request) as PL/pgSQL, as every such helper is here
-- (docs/schema.md; supabase/tests/structure/one_expression_helpers_are_plpgsql.test.sql): a
-- `language sql` function that sets its search_path is never inlined and is planned again on
-- every call. Same bodies, same answers.

create or replace function app.webhook_rotation_json(made app.webhook_secrets, previous app.webhook_secrets)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'secret', app.webhook_secret_json(made) || jsonb_build_object('secret', made.secret),
    'previous', app.webhook_secret_json(previous));
end;
$$;

create or replace function app.invitation_request(email text, full_name text, role text, manager_id uuid, title text, experience_level text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object('email', lower(btrim(email)), 'full_name', app.trimmed(full_name), 'role', role,
                            'manager_id', manager_id, 'title', app.trimmed(title), 'experience_level', experience_level);
end;
$$;
