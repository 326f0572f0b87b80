-- Renubu demo data, applied by `renubu db reset` / `npm start` (and `supabase db reset`).
--
-- What it creates (docs/demo-data.md is the guided tour) — demo data only; the product's
-- own data (the workflow catalogue and saved actions) ships in the migration
-- 20261204001300_product_catalogue.sql:
--   1. two organisations, Acme Cloud (the main demo) and Globex Analytics (so isolation is
--      visible), with their settings;
--   2. demo people of every role (auth.users + auth.identities + app.profiles), all with the
--      password of tests/support/demo-people.ts;
--   3. customers (26 in Acme over all nine renewal stages and all four plans, 5 in Globex)
--      with 24 months of ARR history, weekly usage snapshots, engagement events,
--      stakeholders and contracts;
--   4. if the orchestrator exists, one run per organisation so the queue is populated.
--
-- Rules this file keeps:
--   - Deterministic: no random(). Ids are fixed or md5-derived, variation comes from the
--     row number, so tests can hand-compute expectations (see docs/demo-data.md).
--   - Dates are relative to the organisation's today (app.organisation_today), so renewal
--     stages are right whenever the seed runs; every renewal offset sits at least two days
--     away from a stage boundary, so a day's drift never changes a stage.
--   - Set-based: one insert ... select per table.

-- ---------------------------------------------------------------------------------------
-- 1. Organisations and their settings.
-- ---------------------------------------------------------------------------------------

insert into app.organisations (id, name, slug) values
  ('0a000000-0000-4000-8000-000000000001', 'Acme Cloud', 'acme-cloud'),
  ('0a000000-0000-4000-8000-000000000002', 'Globex Analytics', 'globex-analytics');

-- The insert trigger created a settings row with the defaults of docs/business-rules.md; the demo
-- organisations differ only where the difference is worth showing: Acme requires email
-- approval (the default), Globex does not; each has its own time zone.
update app.organisation_settings s
   set time_zone = v.time_zone,
       require_email_approval = v.require_email_approval,
       settings = v.settings
  from (values
    ('0a000000-0000-4000-8000-000000000001'::uuid, 'Europe/London', true,
     '{"currency": "USD", "fiscal_year_start_month": 1, "demo": true}'::jsonb),
    ('0a000000-0000-4000-8000-000000000002'::uuid, 'America/New_York', false,
     '{"currency": "USD", "fiscal_year_start_month": 7, "demo": true}'::jsonb)
  ) as v(org_id, time_zone, require_email_approval, settings)
 where s.org_id = v.org_id;

-- ---------------------------------------------------------------------------------------
-- 2. Demo people: emails and password as tests/support/demo-people.ts.
--    The account executive and the support engineer are `csm`s without a book of
--    accounts: they receive tasks (hand-offs, ticket follow-ups) and must be able to work
--    them, which a viewer may not; their title says their job.
-- ---------------------------------------------------------------------------------------

create temporary table seed_people (
  handle text primary key,
  id uuid not null,
  org_id uuid not null,
  email text not null,
  full_name text not null,
  role text not null,
  title text not null,
  experience_level text,
  manager_handle text
);

insert into seed_people values
  ('ada',    'a0000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000001', 'ada.admin@acme.test',      'Ada Admin',        'admin',   'Head of Customer Success Operations', 'expert', null),
  ('maria',  'a0000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-000000000001', 'maria.manager@acme.test',  'Maria Manager',    'manager', 'Customer Success Manager, Team Lead', 'expert', null),
  ('sam',    'a0000000-0000-4000-8000-000000000003', '0a000000-0000-4000-8000-000000000001', 'sam.csm@acme.test',        'Sam Senior',       'csm',     'Senior Customer Success Manager',     'senior', 'maria'),
  ('casey',  'a0000000-0000-4000-8000-000000000004', '0a000000-0000-4000-8000-000000000001', 'casey.csm@acme.test',      'Casey Junior',     'csm',     'Customer Success Manager',            'junior', 'maria'),
  ('victor', 'a0000000-0000-4000-8000-000000000005', '0a000000-0000-4000-8000-000000000001', 'victor.viewer@acme.test',  'Victor Viewer',    'viewer',  'Revenue Operations Analyst',          'mid',    null),
  ('alex',   'a0000000-0000-4000-8000-000000000006', '0a000000-0000-4000-8000-000000000001', 'alex.ae@acme.test',        'Alex Executive',   'csm',     'Account Executive',                   'mid',    'maria'),
  ('sasha',  'a0000000-0000-4000-8000-000000000007', '0a000000-0000-4000-8000-000000000001', 'sasha.support@acme.test',  'Sasha Support',    'csm',     'Support Engineer',                    'mid',    'maria'),
  ('gina',   'b0000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002', 'gina.admin@globex.test',   'Gina Admin',       'admin',   'VP Customer Success',                 'expert', null),
  ('gus',    'b0000000-0000-4000-8000-000000000002', '0a000000-0000-4000-8000-000000000002', 'gus.csm@globex.test',      'Gus CSM',          'csm',     'Customer Success Manager',            'mid',    'gina');

-- GoTrue's shape: confirmed email, aud/role authenticated, the email provider in
-- app_metadata, empty strings (not nulls) in the token columns GoTrue scans.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select '00000000-0000-0000-0000-000000000000', p.id, 'authenticated', 'authenticated', p.email,
       extensions.crypt('renubu-demo-password', extensions.gen_salt('bf')), now(),
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       jsonb_build_object('full_name', p.full_name),
       now(), now(), '', '', '', ''
from seed_people p;

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select p.id::text, p.id,
       jsonb_build_object('sub', p.id::text, 'email', p.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
from seed_people p;

-- Managers first (manager_id must name an existing profile of the same organisation).
insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
select p.id, p.org_id, p.role, null, p.full_name, p.email, p.title, p.experience_level
from seed_people p;

update app.profiles pr
   set manager_id = m.id
  from seed_people p
  join seed_people m on m.handle = p.manager_handle
 where pr.id = p.id;

-- ---------------------------------------------------------------------------------------
-- 3. Customers. One row per customer with the parameters its history is generated from:
--    seats, utilisation a year ago (u0) and now (u1), ARR growth over the year, latest
--    NPS (null = never answered), support tickets this year and how many are still open,
--    and whether it has a champion. Plans follow from ARR and health (the trigger);
--    stages from renewal_in_days (null = no renewal date).
--
--    Acme, by stage:  Overdue 3, 4 (4 is 45 days overdue: past the orchestrator's 30-day
--    cut-off) | Emergency 1, 2, 25 | Critical 5, 6 | Signature 7, 8, 23 | Finalize 9, 10, 22
--    | Negotiate 11, 12 | Engage 13, 14, 24 | Prepare 15, 16, 17 | Monitor 18, 19, 20, 21
--    | no renewal date 26.
--    By plan: expand 1, 7, 10, 16, 18 | invest 2, 5, 8, 12, 13, 20, 22, 24, 26
--    | monitor 3, 6, 11, 17, 21 | manage 4, 9, 14, 15, 19, 23, 25.
--    Customer 2 (Contoso Retail: Emergency, ARR 180 000, invest, senior CSM Sam) is the
--    worked example of the priority formula in docs/business-rules.md.
-- ---------------------------------------------------------------------------------------

create temporary table seed_customers (
  org text not null,
  n integer not null,
  name text not null,
  domain text not null,
  industry text not null,
  arr numeric not null,
  health integer,
  renewal_in_days integer,
  csm text,
  risk integer,
  opportunity integer,
  seats integer not null,
  u0 numeric not null,
  u1 numeric not null,
  growth numeric not null,
  nps integer,
  tickets integer not null,
  open_tickets integer not null,
  has_champion boolean not null,
  primary key (org, n)
);

insert into seed_customers values
  ('acme',  1, 'Northwind Logistics',      'northwind.example',     'Logistics',              240000, 82,    3, 'sam',   null, 78, 400, 0.80, 1.05,  0.20,   9,  4, 0, true),
  ('acme',  2, 'Contoso Retail',           'contoso.example',       'Retail',                 180000, 68,    5, 'sam',   null, null, 300, 0.70, 0.72, 0.05,  7,  6, 1, true),
  ('acme',  3, 'Fabrikam Health',          'fabrikam.example',      'Healthcare',              95000, 42,  -12, 'sam',   78, null, 150, 0.75, 0.40, -0.10,   3, 14, 4, false),
  ('acme',  4, 'Tailspin Airlines',        'tailspin.example',      'Travel',                  60000, 55,  -45, 'casey', 66, null, 120, 0.60, 0.45,  0.00,   5,  8, 2, false),
  ('acme',  5, 'Litware Security',         'litware.example',       'Cybersecurity',          130000, 71,   10, 'sam',   null, null, 220, 0.70, 0.78, 0.08,  8,  5, 1, true),
  ('acme',  6, 'Adventure Works',          'adventure-works.example','Outdoor retail',          45000, 38,    9, 'casey', 82, null, 100, 0.65, 0.35, -0.15,   2, 12, 3, false),
  ('acme',  7, 'Wide World Importers',     'wideworld.example',     'Wholesale',              210000, 88,   21, 'sam',   null, 85, 350, 0.85, 1.10,  0.25,  10,  3, 0, true),
  ('acme',  8, 'Proseware',                'proseware.example',     'Software',                72000, 64,   25, 'casey', null, null,  90, 0.68, 0.70, 0.04,  7,  4, 0, true),
  ('acme',  9, 'Alpine Ski House',         'alpineski.example',     'Hospitality',             38000, 58,   45, 'sam',   null, null,  60, 0.55, 0.58, 0.00,  6,  5, 1, true),
  ('acme', 10, 'Coho Winery',              'cohowinery.example',    'Food and beverage',      155000, 77,   40, 'sam',   null, 72, 250, 0.80, 0.95,  0.12,   9,  2, 0, true),
  ('acme', 11, 'Blue Yonder Airlines',     'blueyonder.example',    'Travel',                  88000, 47,   70, 'sam',   64, null, 140, 0.70, 0.50, -0.05,   4,  9, 2, true),
  ('acme', 12, 'Trey Research',            'treyresearch.example',  'Biotech',                120000, 80,   75, 'casey', null, 70, 180, 0.78, 0.98,  0.15,   9,  3, 0, true),
  ('acme', 13, 'Lucerne Publishing',       'lucerne.example',       'Media',                   52000, 61,  100, 'sam',   null, null,  80, 0.60, 0.64, 0.04,  7,  4, 0, true),
  ('acme', 14, 'Margie''s Travel',         'margies.example',       'Travel',                  25000, 72,  110, null,    null, null,  40, 0.70, 0.74, 0.00,  8,  2, 0, true),
  ('acme', 15, 'Graphic Design Institute', 'gdi.example',           'Education',               18000, 50,  150, 'casey', null, null,  35, 0.50, 0.52, 0.00,  6,  3, 1, true),
  ('acme', 16, 'Humongous Insurance',      'humongous.example',     'Insurance',              320000, 91,  140, 'sam',   null, 88, 600, 0.88, 1.12,  0.30,  10,  5, 0, true),
  ('acme', 17, 'School of Fine Art',       'fineart.example',       'Education',               12000, 35,  130, null,    71, null,  25, 0.55, 0.30, -0.20,   3,  6, 2, false),
  ('acme', 18, 'Woodgrove Bank',           'woodgrove.example',     'Financial services',     450000, 79,  220, 'sam',   null, null, 900, 0.82, 0.85, 0.10,  8,  7, 1, true),
  ('acme', 19, 'Fourth Coffee',            'fourthcoffee.example',  'Food and beverage',       30000, 66,  300, 'casey', null, null,  50, 0.62, 0.66, 0.00,  7,  2, 0, true),
  ('acme', 20, 'VanArsdel',                'vanarsdel.example',     'Manufacturing',           98000, 74,  200, 'sam',   null, 75, 160, 0.80, 1.02,  0.18,   9,  3, 0, true),
  ('acme', 21, 'Relecloud',                'relecloud.example',     'Cloud services',         140000, 45,  250, 'sam',   73, null, 260, 0.72, 0.48, -0.08,   4, 11, 3, true),
  ('acme', 22, 'Southridge Video',         'southridge.example',    'Media',                   64000, 83,   35, 'sam',   null, null, 100, 0.80, 0.86, 0.06,  9,  2, 0, true),
  ('acme', 23, 'Wingtip Toys',             'wingtiptoys.example',   'Consumer goods',          22000, 52,   16, 'casey', null, null,  30, 0.50, 0.55, 0.00,  6,  3, 0, true),
  ('acme', 24, 'Consolidated Messenger',   'consolidated.example',  'Logistics',              175000, 63,   95, 'sam',   null, null, 280, 0.66, 0.70, 0.05,  7,  6, 1, true),
  ('acme', 25, 'First Up Consultants',     'firstup.example',       'Professional services',    8000, null,  2, 'casey', null, null,  15, 0.60, 0.60, 0.00, null, 1, 0, true),
  ('acme', 26, 'A. Datum Corporation',     'adatum.example',        'Research',               110000, 70, null, 'sam',   null, null, 170, 0.70, 0.72, 0.03,  8,  2, 0, true),
  ('globex', 1, 'Initech',                 'initech.example',       'Software',               140000, 72,   20, 'gus',   null, null, 200, 0.70, 0.75, 0.05,  7,  4, 1, true),
  ('globex', 2, 'Umbrella Labs',           'umbrella.example',      'Pharmaceuticals',        260000, 85,   65, 'gus',   null, 80, 450, 0.82, 1.04,  0.22,   9,  3, 0, true),
  ('globex', 3, 'Hooli',                   'hooli.example',         'Internet',                50000, 40,    4, 'gus',   75, null, 110, 0.66, 0.38, -0.12,   3, 10, 3, false),
  ('globex', 4, 'Soylent Foods',           'soylent.example',       'Food and beverage',       30000, 58,  200, null,    null, null,  45, 0.55, 0.57, 0.00,  6,  2, 0, true),
  ('globex', 5, 'Vandelay Industries',     'vandelay.example',      'Import and export',       90000, 66,  125, 'gus',   null, null, 150, 0.64, 0.69, 0.06,  7,  3, 0, true);

-- Ids and the organisation's today, once, so every later statement agrees.
alter table seed_customers add column id uuid, add column org_id uuid, add column today date;
update seed_customers sc
   set id = md5('renubu-seed:' || sc.org || ':' || sc.n)::uuid,
       org_id = case sc.org when 'acme' then '0a000000-0000-4000-8000-000000000001'::uuid
                            else '0a000000-0000-4000-8000-000000000002'::uuid end;
update seed_customers sc set today = app.organisation_today(sc.org_id);

insert into app.customers (
  id, org_id, external_id, name, domain, industry, arr, health_score, renewal_date,
  assigned_to, account_executive_id, support_engineer_id, risk_score, opportunity_score, metadata
)
select sc.id, sc.org_id, 'seed-' || sc.org || '-' || lpad(sc.n::text, 2, '0'), sc.name, sc.domain, sc.industry,
       sc.arr, sc.health, sc.today + sc.renewal_in_days,
       csm.id,
       case when sc.org = 'acme' then 'a0000000-0000-4000-8000-000000000006'::uuid end, -- Alex, account executive
       case when sc.org = 'acme' and sc.csm is not null then 'a0000000-0000-4000-8000-000000000007'::uuid end, -- Sasha, support
       sc.risk, sc.opportunity,
       jsonb_build_object('licensed_seats', sc.seats, 'segment',
         case when sc.arr >= 150000 then 'enterprise' when sc.arr >= 50000 then 'mid-market' else 'smb' end)
from seed_customers sc
left join seed_people csm on csm.handle = sc.csm;

-- ---------------------------------------------------------------------------------------
-- 4. History.
-- ---------------------------------------------------------------------------------------

-- ARR history: 24 monthly points (k = 0 is yesterday, k = 23 is 23 months ago), so the
-- Forecast page's retention charts have a year of monthly GRR / NRR and a year of
-- trailing-12-month figures behind them. ARR moves in quarterly steps: the latest point
-- equals the customer's ARR, the point a year ago is arr × (1 − growth), two years ago
-- arr × (1 − 2 × growth) (growth > 0 expands, < 0 contracts). A few stories on top
-- (docs/demo-data.md, docs/forecast-and-retention.md):
--   - new customers: their history starts later (Margie's Travel and Wingtip Toys 8
--     months ago, Soylent Foods 10, Fourth Coffee 15), so retention does not count them
--     for periods that start before;
--   - churn: Alpine Ski House left 10 months ago and came back 8 months ago, Graphic
--     Design Institute left 20 months ago and came back 17 months ago (ARR 0 between).
create temporary table seed_arr_stories (org text, n integer, first_k integer, churned_from_k integer, churned_to_k integer);
insert into seed_arr_stories values
  ('acme', 14, 8, null, null), ('acme', 23, 8, null, null), ('acme', 19, 15, null, null), ('globex', 4, 10, null, null),
  ('acme', 9, 23, 10, 9), ('acme', 15, 23, 20, 18);

insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
select sc.org_id, sc.id,
       case when k between st.churned_to_k and st.churned_from_k then 0
            else round(sc.arr * (1 - sc.growth * ((k + 2) / 3) / 4.0), -2) end,
       ((sc.today - 1) - make_interval(months => k))::timestamp at time zone 'UTC',
       'seed',
       case when k = 0 then 'Current ARR'
            when k = st.churned_from_k then 'Churned'
            when k = st.churned_to_k - 1 then 'Won back'
            when k = st.first_k then 'New customer'
            when k % 3 = 1 and sc.growth <> 0 then
              case when sc.growth > 0 then 'Expansion' else 'Contraction' end end
from seed_customers sc
left join seed_arr_stories st on st.org = sc.org and st.n = sc.n
cross join generate_series(0, 23) as k
where k <= coalesce(st.first_k, 23);

-- Score history: the insert trigger recorded today's scores; add the eleven months
-- before, so health, risk and opportunity have a trend. Scores drift with usage: where
-- utilisation fell, health was higher and risk lower a year ago (and the reverse).
insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score, source)
select sc.org_id, sc.id,
       ((sc.today - 1) - make_interval(months => k))::timestamp at time zone 'UTC',
       case when sc.health is not null then least(100, greatest(0, sc.health - round((sc.u1 - sc.u0) * 40 * k / 11.0)))::int end,
       case when sc.risk is not null then least(100, greatest(0, sc.risk + round((sc.u1 - sc.u0) * 50 * k / 11.0)))::int end,
       case when sc.opportunity is not null then least(100, greatest(0, sc.opportunity - round((sc.u1 - sc.u0) * 40 * k / 11.0)))::int end,
       'seed'
from seed_customers sc
cross join generate_series(1, 11) as k
where sc.health is not null or sc.risk is not null or sc.opportunity is not null;

-- Usage: 52 weekly snapshots. Utilisation moves linearly from u0 (a year ago) to u1
-- (now) with a small deterministic wobble; above 1.0 means more active users than seats.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats, metrics, source)
select sc.org_id, sc.id,
       ((sc.today - 1 - 7 * w)::timestamp + interval '6 hours') at time zone 'UTC',
       u.active_users, sc.seats,
       jsonb_build_object('weekly_logins', u.active_users * 4, 'utilisation', round(u.active_users::numeric / sc.seats, 2)),
       'seed'
from seed_customers sc
cross join generate_series(0, 51) as w
cross join lateral (
  select greatest(0, round(sc.seats * (sc.u1 + (sc.u0 - sc.u1) * w / 51.0 + ((sc.n * 7 + w * 3) % 5 - 2) * 0.01)))::int as active_users
) u;

-- Engagement: monthly meetings (every other month for manage/monitor accounts), emails
-- every two weeks, quarterly QBRs plus the next one scheduled (invest/expand), two NPS
-- responses, and the year's support tickets (the most recent ones still open).
with c as (
  select sc.*, cu.account_plan
  from seed_customers sc join app.customers cu on cu.id = sc.id
)
insert into app.engagement_events (
  org_id, customer_id, external_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source
)
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-meeting-' || k, 'meeting',
       ((c.today - (k * 30 + 3 + c.n % 5))::timestamp + interval '15 hours') at time zone 'UTC',
       case when k % 3 = 0 then 'Roadmap and adoption review' else 'Monthly check-in' end,
       'Regular call with the customer''s team.', null::integer, null::text,
       jsonb_build_object('duration_minutes', 30), 'seed'
from c cross join generate_series(0, 11) as k
where c.account_plan in ('invest', 'expand') or k % 2 = 0
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-email-' || k, 'email',
       ((c.today - (k * 14 + 1 + c.n % 3))::timestamp + interval '10 hours') at time zone 'UTC',
       (array['Product update', 'Usage report', 'Follow-up from our call', 'Training invitation'])[k % 4 + 1],
       null, null, null, jsonb_build_object('direction', case when k % 2 = 0 then 'outbound' else 'inbound' end), 'seed'
from c cross join generate_series(0, 25) as k
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-qbr-' || k, 'qbr',
       ((c.today - (k * 91 + 20 + c.n % 10))::timestamp + interval '14 hours') at time zone 'UTC',
       'Quarterly business review', 'Results of the quarter, goals for the next one.', null, null,
       jsonb_build_object('duration_minutes', 60), 'seed'
from c cross join generate_series(0, 3) as k
where c.account_plan in ('invest', 'expand')
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-qbr-next', 'qbr',
       ((c.today + 25 + c.n % 40)::timestamp + interval '14 hours') at time zone 'UTC',
       'Quarterly business review (scheduled)', null, null, null,
       jsonb_build_object('duration_minutes', 60, 'scheduled', true), 'seed'
from c
where c.account_plan in ('invest', 'expand')
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-nps-' || k, 'nps',
       ((c.today - case k when 0 then 15 + c.n % 20 else 170 + c.n % 10 end)::timestamp + interval '9 hours') at time zone 'UTC',
       'NPS survey response', null,
       case k when 0 then c.nps else least(10, greatest(0, c.nps + case when c.growth < 0 then 2 else -1 end)) end,
       null, '{}'::jsonb, 'seed'
from c cross join generate_series(0, 1) as k
where c.nps is not null
union all
select c.org_id, c.id, 'seed-' || c.org || '-' || c.n || '-ticket-' || j, 'support_ticket',
       ((c.today - (j * (330 / c.tickets) + 1 + c.n % 4))::timestamp + interval '11 hours') at time zone 'UTC',
       'Ticket ' || upper(c.org) || '-' || (1000 + c.n * 20 + j) || ': ' ||
         (array['Login issues for some users', 'Report export is slow', 'API rate limit questions', 'SSO configuration',
                'Data import failed', 'Billing question', 'Dashboard shows stale data'])[(c.n + j) % 7 + 1],
       null, null,
       case when j < c.open_tickets then 'open' else 'closed' end,
       jsonb_build_object(
         'severity', (array['low', 'normal', 'high'])[(c.n + j) % 3 + 1],
         'closed_at', case when j >= c.open_tickets then
           to_jsonb(((c.today - (j * (330 / c.tickets) + 1 + c.n % 4) + 3)::timestamp + interval '11 hours') at time zone 'UTC') end
       ),
       'seed'
from c cross join lateral generate_series(0, c.tickets - 1) as j;

-- Stakeholders: champion (or a former one who left), decision maker, technical lead, and
-- an executive sponsor for enterprise accounts. Names are picked by row number.
with c as (
  select sc.*,
         array['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Zoe', 'Mateo',
               'Chloe', 'Arjun', 'Ines', 'Kenji', 'Amara', 'Tomas', 'Priya', 'Jonas', 'Leila', 'Felix'] as firsts,
         array['Nguyen', 'Okafor', 'Schmidt', 'Rossi', 'Kowalski', 'Tanaka', 'Dubois', 'Silva', 'Haddad', 'Berg',
               'Murphy', 'Patel', 'Novak', 'Costa', 'Lindqvist', 'Moreau', 'Yilmaz', 'Brennan', 'Sato', 'Garcia'] as lasts
  from seed_customers sc
), s as (
  select c.*, r.*
  from c
  cross join lateral (values
    (1, case when c.has_champion then 'Director of Operations' else 'Former Director of Operations' end,
        case when c.has_champion then 'champion' else 'former_champion' end,
        case when c.has_champion then 'high' else 'low' end, c.has_champion, false,
        case when c.has_champion then 'Drives adoption internally; our first call for anything.'
             else 'Left the company last quarter; no replacement champion yet.' end, 2 + c.n % 10),
    (2, 'Chief Financial Officer', 'economic_buyer', 'high', false, true, 'Signs the renewal; cares about cost per active user.', 20 + c.n % 40),
    (3, 'IT Lead', 'technical_contact', 'medium', false, false, 'Owns SSO and integrations.', 5 + c.n % 20),
    (4, 'Chief Operating Officer', 'executive_sponsor', 'high', false, true, 'Executive sponsor; meets us at QBRs.', 40 + c.n % 30)
  ) as r(k, title, role, influence, is_champion, is_decision_maker, notes, contacted_days_ago)
  where r.k < 4 or c.arr >= 150000
)
insert into app.stakeholders (
  org_id, customer_id, external_id, name, email, title, role, influence, is_champion, is_decision_maker, notes, last_contacted_at
)
select s.org_id, s.id, 'seed-' || s.org || '-' || s.n || '-person-' || s.k,
       s.firsts[(s.n * 3 + s.k * 5) % 20 + 1] || ' ' || s.lasts[(s.n * 7 + s.k * 3) % 20 + 1],
       lower(s.firsts[(s.n * 3 + s.k * 5) % 20 + 1] || '.' || s.lasts[(s.n * 7 + s.k * 3) % 20 + 1]) || '@' || s.domain,
       s.title, s.role, s.influence, s.is_champion, s.is_decision_maker, s.notes,
       ((s.today - s.contacted_days_ago)::timestamp + interval '12 hours') at time zone 'UTC'
from s;

-- Contracts: the current term (ending the day before the renewal date) and the previous,
-- renewed one. A customer without a renewal date has one open-ended contract.
insert into app.contracts (
  org_id, customer_id, external_id, contract_number, status, start_date, end_date, annual_value,
  currency, auto_renew, notice_period_days, terms
)
select sc.org_id, sc.id, 'seed-' || sc.org || '-' || sc.n || '-contract-' || t.term,
       upper(sc.org) || '-' || lpad(sc.n::text, 3, '0') || '-' || t.term,
       t.status, t.start_date, t.end_date, t.annual_value, 'USD',
       sc.n % 4 = 0, (array[30, 60, 90])[sc.n % 3 + 1],
       jsonb_build_object('licensed_seats', sc.seats, 'billing', 'annual', 'payment_terms', 'net 30')
from seed_customers sc
cross join lateral (
  select * from (values
    ('current',
     case when sc.renewal_in_days is null then 'active'
          when sc.renewal_in_days < -30 then 'expired' else 'active' end,
     coalesce((sc.today + sc.renewal_in_days) - interval '1 year', sc.today - 200)::date,
     ((sc.today + sc.renewal_in_days) - 1)::date,
     sc.arr),
    ('previous', 'renewed',
     ((sc.today + sc.renewal_in_days) - interval '2 years')::date,
     ((sc.today + sc.renewal_in_days) - interval '1 year' - interval '1 day')::date,
     round(sc.arr * (1 - sc.growth), -2))
  ) as v(term, status, start_date, end_date, annual_value)
  where v.term = 'current' or sc.renewal_in_days is not null
) t;

-- Ingest webhook signing secrets (Standard Webhooks format), fixed so the demo and the
-- docs can sign events: whsec_ + base64 of 'renubu-demo-<org>-webhook-secret'.
insert into app.webhook_secrets (org_id, label, secret)
values
  ('0a000000-0000-4000-8000-000000000001', 'demo', 'whsec_' || encode(convert_to('renubu-demo-acme-webhook-secret', 'UTF8'), 'base64')),
  ('0a000000-0000-4000-8000-000000000002', 'demo', 'whsec_' || encode(convert_to('renubu-demo-globex-webhook-secret', 'UTF8'), 'base64'));

-- ---------------------------------------------------------------------------------------
-- 5. The queue: when the orchestrator exists (workflow-engine migrations), run it once per
--    organisation so the demo opens with a populated queue. Without it, the seed leaves
--    executions to the first orchestrator run.
-- ---------------------------------------------------------------------------------------

do $$
declare
  org record;
begin
  if to_regprocedure('app.run_orchestrator(uuid,date,text,uuid)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1, app.organisation_today($1), ''manual'', null)' using org.id;
    end loop;
  elsif to_regprocedure('app.run_orchestrator(uuid,date)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1, app.organisation_today($1))' using org.id;
    end loop;
  elsif to_regprocedure('app.run_orchestrator(uuid)') is not null then
    for org in select id from app.organisations where id in (
      '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002') loop
      execute 'select app.run_orchestrator($1)' using org.id;
    end loop;
  else
    raise notice 'seed: app.run_orchestrator does not exist yet; the queue stays empty until the first orchestrator run.';
  end if;
end;
$$;

drop table seed_customers;
drop table seed_people;
