-- An organisation's name, its first admin's name and a webhook secret's label are stored
-- without the blank characters around them (zero-width, no-break spaces, tabs), by the
-- rule of every required text (app.trimmed); a label's 100 characters are counted without
-- them. (Migration 20261206281000.)
begin;
select plan(6);
select tests.create_rls_world();
select tests.create_supabase_user('trimmed-founder');

select tests.authenticate_as_service_role();
select is(public.create_organisation(E'\u200b Trimmed Co\u00a0\t', tests.get_supabase_uid('trimmed-founder'),
                                     E'\ufeffTess Trim\u200b', 'tess@trimmed.test') ->> 'slug',
  'trimmed-co', 'an organisation named with invisible characters around its name is made');
select tests.clear_authentication();
select is((select o.name from app.organisations o where o.slug = 'trimmed-co'), 'Trimmed Co',
  'its name is stored without the zero-width, no-break space and tab around it');
select is((select p.full_name from app.profiles p where p.id = tests.get_supabase_uid('trimmed-founder')), 'Tess Trim',
  'its admin''s name without the byte-order mark and zero-width space');

select tests.authenticate_as('admin_a');
select public.create_webhook_secret(E'\u200b CRM\t\u00a0') as made \gset
select is(:'made'::jsonb ->> 'label', 'CRM', 'a webhook secret''s label is answered without the blank characters around it');
select is((select s.label from app.webhook_secrets s where s.id = (:'made'::jsonb ->> 'id')::uuid), 'CRM', 'and stored so');
select is(public.create_webhook_secret(repeat(E'\u200b', 20) || repeat('x', 100)) ->> 'label', repeat('x', 100),
  'a 100-character label is not refused for the invisible characters before it');
select * from finish();
rollback;
