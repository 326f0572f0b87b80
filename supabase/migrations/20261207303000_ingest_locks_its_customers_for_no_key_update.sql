-- A delivery changing a customer while its CSM acts on one of its workflows waits for the
-- action instead of deadlocking with it (docs/workflow-engine.md "Locks";
-- tests/integration/ingest-races.test.ts).
--
-- Ingest locked the customers a batch names `for update`, then wrote them; a change of
-- score or date re-ranks their open workflows (app.refresh_priorities), so it waited for a
-- workflow an action held. The action then wrote a row pointing at the customer (a task, a
-- meeting, its log entry), whose foreign key takes a key share on the customer, which
-- `for update` refuses: a deadlock, 40P01, and the delivery answered 500.
--
-- Fix: the customers are locked `for no key update`, the lock their upsert takes anyway
-- (it never changes a customer's key) and the one the orchestrator, a contract's
-- confirmation and a renewal's outcome take. A key share does not wait for it, so the action
-- finishes and the delivery follows. Two deliveries still take turns on a customer.

create or replace function app.ingest_apply_customer_upserted(org uuid, events jsonb, applied_at timestamptz)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_existing text[];
  v_inserted integer;
  v_updated integer;
begin
  -- Lock every customer the batch names first, in a stable order, and note which of the
  -- upserted ones exist: the other kinds write customers too (a contract moves its decision
  -- date, an ARR change its ARR) in later statements, and a lock taken there, after this
  -- batch's writes took the queue rows of the customers' people, could wait for a
  -- transaction that waits for those rows (another delivery, a job taking customers sorted:
  -- docs/workflow-engine.md "Lock order").
  select array_agg(l.external_id) filter (where l.upserted) into v_existing
    from (select c.external_id, c.external_id = any(array(select t.ev -> 'data' ->> 'external_id'
                                                         from jsonb_array_elements(events) as t(ev)
                                                        where t.ev ->> 'type' = 'customer.upserted')) as upserted
            from app.customers c
           where c.org_id = org
             and c.external_id = any(array(select distinct case when t.ev ->> 'type' = 'customer.upserted'
                                                                 then t.ev -> 'data' ->> 'external_id'
                                                                 else t.ev -> 'data' ->> 'customer_external_id' end
                                             from jsonb_array_elements(events) as t(ev)))
           order by c.id
             -- `for no key update`, as every writer of a customer (the orchestrator, a
             -- contract's confirmation, a renewal's outcome): the upsert never changes a
             -- customer's key, and a row pointing at the customer (a task, a meeting, an
             -- action's log entry, written by a person holding one of its workflows this
             -- batch re-ranks) takes a key share that `for update` refused: a deadlock.
             for no key update) l;
  perform app.ingest_check_new_records(events, 'customer.upserted', 'name', v_existing);

  with resolved as materialized (
    select i.external_id, s.c is null as is_new, (s.c).arr as old_arr, x.r
      from app.ingest_merged_upserts(events, 'customer.upserted') i
      -- (a lateral probe of the unique index per customer, never a scan of the organisation)
      left join lateral (select c from app.customers c where c.org_id = org and c.external_id = i.external_id) s on true
      cross join lateral (select jsonb_populate_record(s.c,
          -- the fields the event may set, and no other
          (select coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb) from jsonb_each(i.data) as f(key, value)
            where f.key = any(array['name', 'domain', 'industry', 'arr', 'health_score', 'risk_score',
                                    'opportunity_score', 'renewal_date']))
          -- the people it names by email, as profile ids (an unknown email, or null, clears)
          || case when i.data ?| array['csm_email', 'account_executive_email', 'support_engineer_email'] then (
               select jsonb_object_agg(m.id_column, (
                        select p.id from app.profiles p where p.org_id = org and lower(p.email) = lower(i.data ->> m.email_key)))
                 from (values ('csm_email', 'assigned_to'), ('account_executive_email', 'account_executive_id'),
                              ('support_engineer_email', 'support_engineer_id')) as m(email_key, id_column)
                where i.data ? m.email_key) else '{}'::jsonb end
          || jsonb_build_object('metadata', coalesce((s.c).metadata, '{}'::jsonb) || coalesce(i.data -> 'metadata', '{}'::jsonb))
        ) as r) x
     where x.r is distinct from s.c
  ),
  upserted as (
    insert into app.customers as c (
      org_id, external_id, name, domain, industry, arr, health_score, risk_score, opportunity_score,
      renewal_date, assigned_to, account_executive_id, support_engineer_id, metadata)
    select org, s.external_id, (s.r).name, (s.r).domain, (s.r).industry, (s.r).arr, (s.r).health_score,
           (s.r).risk_score, (s.r).opportunity_score, (s.r).renewal_date, (s.r).assigned_to,
           (s.r).account_executive_id, (s.r).support_engineer_id, (s.r).metadata
      from resolved s
    on conflict (org_id, external_id) do update
       set (name, domain, industry, arr, health_score, risk_score, opportunity_score, renewal_date,
            assigned_to, account_executive_id, support_engineer_id, metadata)
         = (excluded.name, excluded.domain, excluded.industry, excluded.arr, excluded.health_score,
            excluded.risk_score, excluded.opportunity_score, excluded.renewal_date, excluded.assigned_to,
            excluded.account_executive_id, excluded.support_engineer_id, excluded.metadata)
    returning c.id, c.external_id, c.arr, (c.xmax = 0) as inserted
  ),
  arr_rows as (
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    select org, u.id, u.arr, applied_at, 'ingest', 'customer.upserted'
      from upserted u
      join resolved s on s.external_id = u.external_id
     where u.arr is not null
       and (s.is_new or s.old_arr is distinct from u.arr)
    returning 1
  )
  -- (arr_rows runs whether or not it is read: data-modifying CTEs always complete.)
  select count(*) filter (where u.inserted), count(*) filter (where not u.inserted)
    into v_inserted, v_updated
    from upserted u;
  return jsonb_build_object('inserted', v_inserted, 'updated', v_updated);
end;
$$;
