-- The workflow catalogue ships the 16 core definitions of docs/business-rules.md, each with 3-6 real
-- steps (title, type, prompt template using the customer context, expected artifacts) and
-- chat branches of all four types whose references lead somewhere real.
begin;
select plan(10);

select set_eq(
  $$ select w.key, w.workflow_type, w.base_score from app.workflows w where w.org_id is null $$,
  $$ values ('overdue', 'renewal', 100), ('emergency', 'renewal', 90), ('critical', 'renewal', 80),
            ('signature', 'renewal', 70), ('finalize', 'renewal', 60), ('negotiate', 'renewal', 50),
            ('engage', 'renewal', 40), ('prepare', 'renewal', 30), ('monitor', 'renewal', 20),
            ('quarterly-review', 'strategic', 70), ('health-check', 'strategic', 60),
            ('executive-meeting', 'strategic', 80), ('risk-assessment', 'risk', 85),
            ('risk-intervention', 'risk', 90), ('opportunity-identification', 'opportunity', 65),
            ('expansion-proposal', 'opportunity', 75) $$,
  'the 16 core definitions with their type and score'
);

select set_eq(
  $$ select w.trigger_config ->> 'stage' from app.workflows w where w.org_id is null and w.workflow_type = 'renewal' $$,
  array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'],
  'each renewal definition is triggered by its stage'
);

select is_empty(
  $$ select w.key from app.workflows w
       join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
      where w.org_id is null and jsonb_array_length(v.config -> 'steps') not between 3 and 6 $$,
  'every core definition has 3 to 6 steps'
);

select is_empty(
  $$ select w.key, s ->> 'key' from app.workflows w
       join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
       cross join lateral jsonb_array_elements(v.config -> 'steps') s
      where w.org_id is null
        and (coalesce(btrim(s ->> 'title'), '') = '' or coalesce(s ->> 'type', '') = ''
             or coalesce(s ->> 'prompt_template', '') not like '%{{customer.%'
             or jsonb_typeof(s -> 'artifact_types') <> 'array') $$,
  'every step has a title, a type, a prompt template with customer placeholders and its artifact types'
);

select is_empty(
  $$ select s ->> 'key', a from app.workflows w
       join app.workflow_versions v on v.workflow_id = w.id
       cross join lateral jsonb_array_elements(v.config -> 'steps') s
       cross join lateral jsonb_array_elements_text(s -> 'artifact_types') a
      where w.org_id is null
        and a not in ('email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
                      'assessment', 'action_plan', 'summary', 'custom') $$,
  'expected artifact types are known artifact types'
);

select is_empty(
  $$ select w.key from app.workflows w
       join app.workflow_versions v on v.workflow_id = w.id
      where w.org_id is null
        and (select count(distinct b.branch_type) from app.workflow_chat_branches b where b.workflow_version_id = v.id) <> 4 $$,
  'every core definition offers branches of all four types (fixed, llm, saved_action, rag)'
);

select is_empty(
  $$ select w.key, s ->> 'key' from app.workflows w
       join app.workflow_versions v on v.workflow_id = w.id
       cross join lateral jsonb_array_elements(v.config -> 'steps') s
      where w.org_id is null
        and not exists (select 1 from app.workflow_chat_branches b
                         where b.workflow_version_id = v.id and b.step_key = s ->> 'key' and b.branch_type <> 'rag'
                           and b.branch_key <> 'skip-step') $$,
  'every step has at least one branch of its own besides the generic ones'
);

select is_empty(
  $$ select b.step_key, b.branch_key from app.workflow_chat_branches b
      where b.org_id is null and b.branch_type = 'saved_action'
        and not exists (select 1 from app.saved_actions a where a.org_id is null and a.key = b.saved_action_key) $$,
  'saved_action branches name a core saved action'
);

select is_empty(
  $$ select b.step_key, b.branch_key, k from app.workflow_chat_branches b
       join app.workflow_versions v on v.id = b.workflow_version_id
       cross join lateral (values (b.next_step_key), (b.return_step_key)) as r(k)
      where b.org_id is null and r.k is not null
        and not exists (select 1 from jsonb_array_elements(v.config -> 'steps') s where s ->> 'key' = r.k) $$,
  'next and return steps of branches are steps of the same version'
);

select is_empty(
  $$ select b.step_key, b.branch_key from app.workflow_chat_branches b
      where b.org_id is null
        and ((b.branch_type = 'fixed' and coalesce(b.response_text, '') = '')
          or (b.branch_type in ('llm', 'rag') and coalesce(b.prompt_template, '') = '')) $$,
  'fixed branches have a response and llm/rag branches a prompt'
);

select * from finish();
rollback;
