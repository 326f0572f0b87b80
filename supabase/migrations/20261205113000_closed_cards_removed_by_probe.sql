-- A statement that closes many executions removes their queue cards by probing each id,
-- not by hashing every open execution.
--
-- Why: app.queue_cards_write dropped the cards of executions no longer open with
-- `k.execution_id = any(ids) and not exists (select ... from app.workflow_executions ...)`.
-- For a long list (the orchestrator superseding a day's renewals, any statement closing
-- many executions at once) the planner turned the `not exists` into a hash anti join and
-- hashed the open executions of every organisation: 4.0-4.8 s of a 180 000-execution
-- cancel at 100k customers with the table cached, 16.8 s with it on disk (auto_explain).
-- Now the ids are checked one by one against the primary key (a scalar subquery is never
-- turned into a join) and the cards found through theirs: 1.7 s for the same list, and
-- linear in the list, not in the table.
create or replace function app.queue_cards_write(ids uuid[])
returns void
language plpgsql
security definer -- writes the derived table no role may write; called by triggers and the job
set search_path = ''
as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  insert into app.queue_cards as k (execution_id, org_id, renewal_date, decision_date, head, tail, priority_head, raw_score)
  select p.execution_id, p.org_id, p.renewal_date, p.decision_date, p.head, p.tail, p.priority_head, p.raw_score
    from app.queue_card_parts(ids) p
   order by p.execution_id -- the lock order (see the released definition)
  on conflict (execution_id) do update
     set org_id = excluded.org_id, renewal_date = excluded.renewal_date, decision_date = excluded.decision_date,
         head = excluded.head, tail = excluded.tail, priority_head = excluded.priority_head, raw_score = excluded.raw_score
   where (k.org_id, k.renewal_date, k.decision_date, k.head, k.tail, k.priority_head, k.raw_score)
         is distinct from (excluded.org_id, excluded.renewal_date, excluded.decision_date, excluded.head, excluded.tail,
                           excluded.priority_head, excluded.raw_score);
  -- The cards of those not open (closed, or deleted: no row) go, each found by its key.
  delete from app.queue_cards k
   where k.execution_id = any(array(
           select x.id from unnest(ids) x(id)
            where not coalesce((select app.is_open_status(e.status)
                                  from app.workflow_executions e where e.id = x.id), false)));
end;
$$;
