-- What an admin configures for everyone's forms holds no control character and no
-- text-direction override (docs/business-rules.md "Displayable text"): every text of a saved
-- action's config, of a workflow branch's config and of a workflow definition, checked by the
-- one rule drafts and proposals use (app.require_displayable_json, 20261216500000).
--
-- What and why: a saved action's config holds the words CSMs choose from (a skip's reasons are
-- the Skip form's choices) and a branch's config the params its action form opens with (a
-- create-task branch's default title). Neither was checked: an admin's skip reason
-- 'Ot<U+202E>her' read reversed in every Skip form, and a skip that chose it was refused by the
-- action log's rule (20261215630000); a branch default title 'Call<U+202E>gnp.exe' opened each
-- of that branch's task forms as 'Callexe.png'. A workflow definition's names, titles, labels
-- and prompts were checked when saved (app.definition_text_problem), its branches' defaults
-- not. A check constraint on each column, so every path that writes one (save_saved_action,
-- save_workflow_definition, a seed, a plain update) is refused alike: 22023 naming the field
-- (config.reasons[1], definition.steps[4].branches[2].config.defaults.title), nothing saved.
-- A name, a title or a label is one line, any other text may hold line breaks, as in a draft
-- (app.text_field_is_one_line). Rows stored before are mended first, as drafts were.

do $$
declare
  c record;
begin
  for c in
    select * from (values
      ('saved_actions', 'config', 'config'),
      ('workflow_chat_branches', 'config', 'config'),
      ('workflow_versions', 'config', 'definition')
    ) as v(tbl, col, name)
  loop
    -- displayable_json changes only what the rule refuses, so a row it changes needs mending
    execute format('update app.%I set %I = app.displayable_json(%I, %L) where app.json_may_hold_undisplayable(%I) and app.displayable_json(%I, %L) <> %I',
                   c.tbl, c.col, c.col, c.name, c.col, c.col, c.name, c.col);
    execute format('alter table app.%I add constraint %I check (app.require_displayable_json(%I, %L))',
                   c.tbl, c.tbl || '_' || c.col || '_is_displayable', c.col, c.name);
  end loop;
end;
$$;
