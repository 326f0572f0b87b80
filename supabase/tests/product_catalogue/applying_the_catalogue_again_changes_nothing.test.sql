-- The catalogue migration is idempotent: applied to a database that already has the
-- catalogue (from this migration, or from the first release's seed.sql) it adds nothing
-- and fails on nothing, so `supabase db push` of it to an existing project is safe.
begin;
select plan(5);

create temporary table before_apply on commit drop as
select (select count(*) from app.workflows where org_id is null) as workflows,
       (select count(*) from app.workflow_versions where org_id is null) as versions,
       (select count(*) from app.workflow_chat_branches where org_id is null) as branches,
       (select count(*) from app.saved_actions where org_id is null) as actions,
       (select md5(string_agg(concat_ws('|', v.workflow_id, b.step_key, b.branch_key, b.position), ',' order by v.workflow_id, b.step_key, b.branch_key))
          from app.workflow_chat_branches b join app.workflow_versions v on v.id = b.workflow_version_id
         where b.org_id is null) as branch_fingerprint;

\set QUIET on
\ir ../../migrations/20261204001300_product_catalogue.sql
\ir ../../migrations/20261204001300_product_catalogue.sql
\set QUIET off

select is((select count(*) from app.workflows where org_id is null), (select workflows from before_apply), 'no workflow is added twice');
select is((select count(*) from app.workflow_versions where org_id is null), (select versions from before_apply), 'no version is added twice');
select is((select count(*) from app.workflow_chat_branches where org_id is null), (select branches from before_apply), 'no branch is added twice');
select is((select count(*) from app.saved_actions where org_id is null), (select actions from before_apply), 'no saved action is added twice');
select is(
  (select md5(string_agg(concat_ws('|', v.workflow_id, b.step_key, b.branch_key, b.position), ',' order by v.workflow_id, b.step_key, b.branch_key))
     from app.workflow_chat_branches b join app.workflow_versions v on v.id = b.workflow_version_id
    where b.org_id is null),
  (select branch_fingerprint from before_apply), 'every step keeps the same branches in the same order'
);

select * from finish();
rollback;
