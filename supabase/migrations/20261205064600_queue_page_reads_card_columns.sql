-- The queue page reads each card's columns directly and renders a card only for an item
-- that has none.
--
-- Why: the page took `coalesce(card row, rendered row)` and expanded it column by column;
-- Postgres evaluated that whole-row coalesce once per column (eight copies of every card
-- row a page). Now each column is the card's own, and the render (app.queue_card_parts)
-- runs once, in a lateral subquery, only for an item whose card is missing (after a bulk
-- change the job has not reached yet). Same page, ~30-90 us less a call on a 50-item page.
create or replace function app.queue_page_json(page app.queue_row[], page_size integer, today date, grouped boolean, workload integer)
returns json
language plpgsql
stable
set search_path = ''
as $$
declare
  v_shift integer := 2 * coalesce(queue_page_json.workload, 0);
  -- The keys every item of the page shares, written once.
  v_keys text := ', "active_workflows": ' || coalesce(queue_page_json.workload, 0)
                 || ', "workload_penalty": ' || 2 * coalesce(queue_page_json.workload, 0) || ', "raw_score": ';
begin
  return (
    select coalesce('[' || string_agg(
             k.head
             || ',"renewal_stage":' || case
                  when k.decision_date is null then 'null'
                  when k.decision_date - queue_page_json.today < 0 then '"Overdue"'
                  when k.decision_date - queue_page_json.today < 7 then '"Emergency"'
                  when k.decision_date - queue_page_json.today < 14 then '"Critical"'
                  when k.decision_date - queue_page_json.today < 30 then '"Signature"'
                  when k.decision_date - queue_page_json.today < 60 then '"Finalize"'
                  when k.decision_date - queue_page_json.today < 90 then '"Negotiate"'
                  when k.decision_date - queue_page_json.today < 120 then '"Engage"'
                  when k.decision_date - queue_page_json.today < 180 then '"Prepare"'
                  else '"Monitor"' end
             || ',"days_until_renewal":' || coalesce((k.renewal_date - queue_page_json.today)::text, 'null')
             || ',"days_until_decision":' || coalesce((k.decision_date - queue_page_json.today)::text, 'null')
             || '}' || k.tail
             || case when queue_page_json.grouped
                     then ',"other_items":' || json_build_object(
                            'count', coalesce(n.other_count, 0),
                            'kinds', coalesce(to_json(n.other_kinds), '[]'::json))::text
                     else '' end
             -- app.priority_with_workload's four keys, written as text onto the card's factors
             -- (a call and a jsonb per item cost ~10 us each, half the page's time;
             -- priority/workload_change_matches_the_formula checks the page against it).
             || ',"priority_score":' || (n.priority_score - v_shift)::integer
             || ',"priority_factors":' || k.priority_head
             -- an item never scored has no raw score: its factors close as they are
             || coalesce(v_keys || (k.raw_score - v_shift) || ', "score": ' || (n.priority_score - v_shift) || '}', '}')
             || '}', ',' order by n.ord) || ']', '[]')::json
      from unnest(queue_page_json.page) with ordinality
             as n(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
      left join app.queue_cards k0 on k0.execution_id = n.id
     -- rendered only for an item without a card (offset 0: once per item, not per column)
     cross join lateral (select case when k0.execution_id is null
                                     then (select row(f.*)::app.queue_cards from app.queue_card_parts(array[n.id]) f) end as r
                          offset 0) fb
     -- the card's columns, or the render's for an item without one
     cross join lateral (select case when k0.execution_id is null then (fb.r).head else k0.head end as head,
                                case when k0.execution_id is null then (fb.r).tail else k0.tail end as tail,
                                case when k0.execution_id is null then (fb.r).decision_date else k0.decision_date end as decision_date,
                                case when k0.execution_id is null then (fb.r).renewal_date else k0.renewal_date end as renewal_date,
                                case when k0.execution_id is null then (fb.r).priority_head else k0.priority_head end as priority_head,
                                case when k0.execution_id is null then (fb.r).raw_score else k0.raw_score end as raw_score) k
     where n.ord <= queue_page_json.page_size
       and k.head is not null);
end;
$$;