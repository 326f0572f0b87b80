-- The stage counts days in the organisation's own time zone, not the server's.
begin;
select plan(2);

select tests.create_organisation('Far east') as east \gset
select tests.create_organisation('Far west') as west \gset
update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = :'east';  -- UTC+14
update app.organisation_settings set time_zone = 'Pacific/Pago_Pago' where org_id = :'west';   -- UTC-11

-- Kiritimati and Pago Pago are always on different calendar days (25 hours apart).
insert into app.customers (org_id, name, renewal_date)
values (:'east', 'East', (now() at time zone 'Pacific/Kiritimati')::date + 7),
       (:'west', 'West', (now() at time zone 'Pacific/Pago_Pago')::date + 7);

select is((select renewal_stage from app.customers where org_id = :'east'), 'Critical', 'east: 7 days from its own today');
select is((select renewal_stage from app.customers where org_id = :'west'), 'Critical', 'west: 7 days from its own today');

select * from finish();
rollback;
