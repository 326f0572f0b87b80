-- Every demo customer has a year of history: monthly ARR (two years of it, for retention)
-- ending at its current ARR,
-- weekly usage, engagement of every kind the context reads, stakeholders and contracts.
begin;
select plan(9);

select is_empty(
  $$ select c.name from app.customers c
      where c.org_id in (select id from app.organisations where slug in ('acme-cloud', 'globex-analytics'))
        and (select count(*) from app.arr_history h where h.customer_id = c.id)
            <> case c.name when 'Margie''s Travel' then 9 when 'Wingtip Toys' then 9
                           when 'Soylent Foods' then 11 when 'Fourth Coffee' then 16 else 24 end $$,
  'every customer has 24 monthly ARR points (newer customers since they started)'
);

select is_empty(
  $$ select c.name from app.customers c
      where c.org_id in (select id from app.organisations where slug in ('acme-cloud', 'globex-analytics'))
        and (select h.arr from app.arr_history h where h.customer_id = c.id order by h.recorded_at desc limit 1) <> c.arr $$,
  'the latest ARR point is the customer''s ARR'
);

select is_empty(
  $$ select c.name from app.customers c
      where c.org_id in (select id from app.organisations where slug in ('acme-cloud', 'globex-analytics'))
        and (select count(*) from app.usage_snapshots u
              where u.customer_id = c.id and u.active_users is not null and u.licensed_seats > 0
                and u.recorded_at > now() - interval '1 year') <> 52 $$,
  'every customer has 52 weekly usage snapshots with users and seats'
);

select set_eq(
  $$ select distinct e.event_type from app.engagement_events e
      join app.organisations o on o.id = e.org_id where o.slug = 'acme-cloud' $$,
  array['meeting', 'email', 'qbr', 'nps', 'support_ticket'],
  'Acme''s engagement has meetings, emails, QBRs, NPS responses and support tickets'
);

select ok(
  exists (select 1 from app.engagement_events e where e.event_type = 'support_ticket' and e.ticket_status = 'open')
  and exists (select 1 from app.engagement_events e where e.event_type = 'support_ticket' and e.ticket_status = 'closed'),
  'support tickets are both open and closed'
);

select ok(
  exists (select 1 from app.engagement_events e where e.event_type = 'qbr' and e.occurred_at > now()),
  'some QBRs are scheduled in the future (next QBR)'
);

select is_empty(
  $$ select c.name from app.customers c
      where c.org_id in (select id from app.organisations where slug in ('acme-cloud', 'globex-analytics'))
        and not exists (select 1 from app.stakeholders s where s.customer_id = c.id and s.is_decision_maker) $$,
  'every customer has a decision maker'
);

select cmp_ok(
  (select count(*)::int from app.stakeholders s join app.organisations o on o.id = s.org_id
    where o.slug = 'acme-cloud' and s.is_champion),
  '>=', 20, 'most Acme customers have a champion'
);

select is_empty(
  $$ select c.name from app.customers c
      where c.org_id in (select id from app.organisations where slug in ('acme-cloud', 'globex-analytics'))
        and c.renewal_date is not null
        and not exists (select 1 from app.contracts k where k.customer_id = c.id and k.end_date = c.renewal_date - 1) $$,
  'every customer with a renewal date has a contract ending the day before it'
);

select * from finish();
rollback;
