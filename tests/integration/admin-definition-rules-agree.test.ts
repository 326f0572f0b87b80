// One set of workflow definitions and action configs, valid and invalid, through both
// sides of each rule: the zod schemas of functions-shared/admin (the source, also used by
// the editor) and the database's checks (app.workflow_definition_problems,
// app.saved_action_config_problems). They must accept and refuse exactly the same ones,
// use the same vocabularies, and the product's own 16 core definitions must pass both.
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_TYPES, BRANCH_TYPES, LIMITS, PLANS, RENEWAL_STAGES, SCHEDULE_EVERY, SCORE_FIELDS, STEP_TYPES,
  TRIGGER_KINDS, WORKFLOW_TYPES, workflowDefinitionJsonSchema, workflowDefinitionProblems,
} from '../../functions-shared/admin/workflow-definition.ts';
import { actionConfigProblems, LookupEntries, TaskOptions } from '../../functions-shared/admin/saved-action-config.ts';
import { withDb } from '../support/stack.ts';

const step = (key: string, extra: Record<string, unknown> = {}) => ({
  key, title: `Step ${key}`, type: 'review', prompt_template: 'Look at {{customer.name}}.', artifact_types: ['summary'], branches: [], ...extra,
});
const base = { name: 'Onboarding', type: 'custom', trigger: { kind: 'manual' }, base_score: 50, steps: [step('one'), step('two')] };
const withBranch = (branch: Record<string, unknown>) => ({ ...base, steps: [step('one', { branches: [branch] }), step('two')] });
const long = (n: number) => 'x'.repeat(n);

const DEFINITIONS: [string, unknown, boolean][] = [
  ['minimal', { steps: [step('only')] }, true],
  ['full', base, true],
  ['nulls count as absent', { ...base, description: null, change_note: null, trigger: null }, true],
  ['schedule trigger with plans', { ...base, type: 'strategic', trigger: { kind: 'schedule', every: 'quarter', plans: ['invest'] } }, true],
  ['score trigger with min', { ...base, type: 'risk', trigger: { kind: 'score', field: 'risk_score', min: 60 } }, true],
  ['renewal stage trigger', { ...base, type: 'renewal', trigger: { kind: 'renewal_stage', stage: 'Emergency' } }, true],
  ['fixed branch to a later step', withBranch({ key: 'go', label: 'Go', type: 'fixed', response_text: 'Ok', next_step_key: 'two' }), true],
  ['llm branch', withBranch({ key: 'ask', label: 'Ask', type: 'llm', prompt_template: 'Help.', allow_off_script: true }), true],
  ['rag branch', withBranch({ key: 'hist', label: 'History', type: 'rag', config: { sources: ['engagement_events'] } }), true],
  ['saved action branch', withBranch({ key: 'later', label: 'Later', type: 'saved_action', saved_action_key: 'snooze', return_step_key: 'one', config: { defaults: { days: 7, reason: 'Wait' } } }), true],
  ['longest name', { ...base, name: long(LIMITS.name) }, true],
  ['Hebrew name, Arabic title, a prompt of two lines with a direction mark', { ...base, name: 'קליטה', steps: [step('one', { title: 'مراجعة', prompt_template: 'Look at {{customer.name}}.\n\tשלום\u200f' })] }, true],
  ['description of two lines', { ...base, description: 'First line.\r\nSecond line.' }, true],

  ['not an object', [base], false],
  ['no steps', { ...base, steps: [] }, false],
  ['steps missing', { name: 'x' }, false],
  ['too many steps', { ...base, steps: Array.from({ length: LIMITS.steps + 1 }, (_, i) => step(`s${i}`)) }, false],
  ['unknown field', { ...base, colour: 'red' }, false],
  ['unknown step field', { ...base, steps: [step('one', { due: 3 })] }, false],
  ['blank name', { ...base, name: '  ' }, false],
  ['name of a zero-width space', { ...base, name: '\u200b' }, false],
  ['title of a tab and a Hangul filler', { ...base, steps: [step('one', { title: '\t\u3164' })] }, false],
  ['name too long', { ...base, name: long(LIMITS.name + 1) }, false],
  ['name with a right-to-left override', { ...base, name: 'Onboarding\u202e call' }, false],
  ['name with a direction mark', { ...base, name: 'Onboarding\u200f' + ' call' }, false],
  ['step title with a tab inside', { ...base, steps: [step('one', { title: 'First\tstep' })] }, false],
  ['branch label with an isolate', withBranch({ key: 'go', label: 'Go\u2066 now', type: 'fixed', response_text: 'Ok' }), false],
  ['prompt with an override', { ...base, steps: [step('one', { prompt_template: 'Look\u202d at it.' })] }, false],
  ['change note with a control character', { ...base, change_note: 'Fixed\u0007 it' }, false],
  ['unknown type', { ...base, type: 'sales' }, false],
  ['negative score', { ...base, base_score: -1 }, false],
  ['score too high', { ...base, base_score: LIMITS.base_score + 1 }, false],
  ['score as text', { ...base, base_score: '50' }, false],
  ['unknown trigger kind', { ...base, trigger: { kind: 'weekly' } }, false],
  ['unknown stage', { ...base, type: 'renewal', trigger: { kind: 'renewal_stage', stage: 'Later' } }, false],
  ['stage trigger on another type', { ...base, type: 'custom', trigger: { kind: 'renewal_stage', stage: 'Engage' } }, false],
  ['schedule every week', { ...base, trigger: { kind: 'schedule', every: 'week' } }, false],
  ['empty plans', { ...base, trigger: { kind: 'schedule', every: 'month', plans: [] } }, false],
  ['repeated plans', { ...base, trigger: { kind: 'schedule', every: 'month', plans: ['invest', 'invest'] } }, false],
  ['score min above 100', { ...base, trigger: { kind: 'score', field: 'risk_score', min: 101 } }, false],
  ['score min fractional', { ...base, trigger: { kind: 'score', field: 'risk_score', min: 60.5 } }, false],
  ['extra trigger field', { ...base, trigger: { kind: 'manual', stage: 'Engage' } }, false],
  ['bad step key', { ...base, steps: [step('Step One')] }, false],
  ['repeated step key', { ...base, steps: [step('one'), step('one')] }, false],
  ['blank title', { ...base, steps: [step('one', { title: ' ' })] }, false],
  ['unknown step type', { ...base, steps: [step('one', { type: 'think' })] }, false],
  ['missing prompt', { ...base, steps: [step('one', { prompt_template: undefined })] }, false],
  ['prompt too long', { ...base, steps: [step('one', { prompt_template: long(LIMITS.prompt_template + 1) })] }, false],
  ['unknown artifact type', { ...base, steps: [step('one', { artifact_types: ['memo'] })] }, false],
  ['repeated artifact type', { ...base, steps: [step('one', { artifact_types: ['summary', 'summary'] })] }, false],
  ['too many branches', { ...base, steps: [step('one', { branches: Array.from({ length: LIMITS.branches + 1 }, (_, i) => ({ key: `b${i}`, label: 'B', type: 'llm', prompt_template: 'x' })) })] }, false],
  ['unknown branch type', withBranch({ key: 'x', label: 'X', type: 'email' }), false],
  ['fixed without a response', withBranch({ key: 'x', label: 'X', type: 'fixed' }), false],
  ['fixed to a missing step', withBranch({ key: 'x', label: 'X', type: 'fixed', response_text: 'Ok', next_step_key: 'three' }), false],
  ['llm without a prompt', withBranch({ key: 'x', label: 'X', type: 'llm' }), false],
  ['llm with an action', withBranch({ key: 'x', label: 'X', type: 'llm', prompt_template: 'x', saved_action_key: 'snooze' }), false],
  ['off-script as text', withBranch({ key: 'x', label: 'X', type: 'llm', prompt_template: 'x', allow_off_script: 'yes' }), false],
  ['blank label', withBranch({ key: 'x', label: '', type: 'llm', prompt_template: 'x' }), false],
  ['repeated branch key', { ...base, steps: [step('one', { branches: [{ key: 'a', label: 'A', type: 'llm', prompt_template: 'x' }, { key: 'a', label: 'B', type: 'llm', prompt_template: 'y' }] })] }, false],
  ['action without a key', withBranch({ key: 'x', label: 'X', type: 'saved_action' }), false],
  ['action key in kebab case', withBranch({ key: 'x', label: 'X', type: 'saved_action', saved_action_key: 'schedule-meeting' }), false],
  ['action returning to a missing step', withBranch({ key: 'x', label: 'X', type: 'saved_action', saved_action_key: 'skip', return_step_key: 'nine' }), false],
  ['defaults not an object', withBranch({ key: 'x', label: 'X', type: 'saved_action', saved_action_key: 'skip', config: { defaults: [1] } }), false],
  ['default as an object', withBranch({ key: 'x', label: 'X', type: 'saved_action', saved_action_key: 'skip', config: { defaults: { reason: { a: 1 } } } }), false],
  ['unknown config field', withBranch({ key: 'x', label: 'X', type: 'saved_action', saved_action_key: 'skip', config: { colour: 'red' } }), false],
  ['rag source in kebab case', withBranch({ key: 'x', label: 'X', type: 'rag', config: { sources: ['usage-snapshots'] } }), false],
];

const ACTION_CONFIGS: [string, string, unknown, boolean][] = [
  ['snooze', 'core', { default_days: 7, min_days: 1, max_days: 30, reason_required: true }, true],
  ['snooze', 'narrowed', { default_days: 5, min_days: 2, max_days: 10, reason_required: true }, true],
  ['snooze', 'a year', { default_days: 365, min_days: 365, max_days: 365, reason_required: true }, true],
  ['snooze', 'unordered', { default_days: 1, min_days: 2, max_days: 10, reason_required: true }, false],
  ['snooze', 'zero minimum', { default_days: 1, min_days: 0, max_days: 10, reason_required: true }, false],
  ['snooze', 'over a year', { default_days: 7, min_days: 1, max_days: 366, reason_required: true }, false],
  ['snooze', 'fractional', { default_days: 7.5, min_days: 1, max_days: 30, reason_required: true }, false],
  ['snooze', 'no reason needed', { default_days: 7, min_days: 1, max_days: 30, reason_required: false }, false],
  ['snooze', 'missing key', { default_days: 7, min_days: 1, reason_required: true }, false],
  ['snooze', 'unknown key', { default_days: 7, min_days: 1, max_days: 30, reason_required: true, colour: 'red' }, false],
  ['skip', 'core', { reasons: ['Not applicable', 'Other'], reason_required: true }, true],
  ['skip', 'no reasons', { reasons: [], reason_required: true }, false],
  ['skip', 'blank reason', { reasons: [' '], reason_required: true }, false],
  ['skip', 'reason of a zero-width space', { reasons: ['\u200b', 'Other'], reason_required: true }, false],
  ['skip', 'reason of a tab and a no-break space', { reasons: ['\t\u00a0'], reason_required: true }, false],
  ['skip', 'repeated reason', { reasons: ['Other', 'Other'], reason_required: true }, false],
  ['escalate', 'core', { levels: ['manager', 'vp_cs', 'ceo'], default_level: 'manager', reason_required: true, notify: 'assignee_manager' }, true],
  ['escalate', 'manager only', { levels: ['manager'], default_level: 'manager', reason_required: true, notify: 'assignee_manager' }, true],
  ['escalate', 'default not offered', { levels: ['manager'], default_level: 'ceo', reason_required: true, notify: 'assignee_manager' }, false],
  ['escalate', 'unknown level', { levels: ['board'], default_level: 'board', reason_required: true, notify: 'assignee_manager' }, false],
  ['schedule_meeting', 'core', { durations_minutes: [15, 30, 45, 60], default_duration_minutes: 30, date_required: true, attendees_allowed: true, creates_task_type: 'schedule_meeting' }, true],
  ['schedule_meeting', 'default not offered', { durations_minutes: [20, 40], default_duration_minutes: 30, date_required: true, attendees_allowed: true, creates_task_type: 'schedule_meeting' }, false],
  ['schedule_meeting', 'too short', { durations_minutes: [1], default_duration_minutes: 1, date_required: true, attendees_allowed: true, creates_task_type: 'schedule_meeting' }, false],
  ['schedule_meeting', 'other task', { durations_minutes: [30], default_duration_minutes: 30, date_required: true, attendees_allowed: true, creates_task_type: 'follow_up' }, false],
  ['send_email', 'core', { artifact_type: 'email_draft', requires_approval: 'organisation_setting', approval_setting: 'require_email_approval' }, true],
  ['send_email', 'no approval', { artifact_type: 'email_draft', requires_approval: false, approval_setting: 'require_email_approval' }, false],
  ['create_task', 'core', { due_date_required: true, default_priority: 'medium', priorities: ['low', 'medium', 'high', 'urgent'], default_task_type: 'follow_up' }, true],
  ['create_task', 'default not offered', { due_date_required: true, default_priority: 'low', priorities: ['high'], default_task_type: 'follow_up' }, false],
  ['create_task', 'unknown task type', { due_date_required: true, default_priority: 'high', priorities: ['high'], default_task_type: 'party' }, false],
  ['custom', 'plain settings', { url: 'https://crm.example/log', retries: 2, enabled: true }, true],
  ['custom', 'nested', { target: { url: 'x' } }, false],
  ['unknown', 'unknown type', {}, false],
];

describe('workflow definition rules: zod and SQL agree', () => {
  it('accept and refuse the same definitions', async () => {
    const sql = await withDb(async (db) => {
      const answers: string[][] = [];
      for (const [, doc] of DEFINITIONS) {
        const { rows } = await db.query<{ problems: string[] }>('select app.workflow_definition_problems($1::jsonb) as problems', [JSON.stringify(doc)]);
        answers.push(rows[0]!.problems);
      }
      return answers;
    });
    const disagreements = DEFINITIONS.flatMap(([name, doc, valid], index) => {
      const zod = workflowDefinitionProblems(doc);
      const sqlProblems = sql[index]!;
      return (zod.length === 0) === valid && (sqlProblems.length === 0) === valid ? [] : [{ name, valid, zod, sql: sqlProblems }];
    });
    expect(disagreements).toEqual([]);
  });

  it('use the same vocabulary', async () => {
    const vocabulary = await withDb(async (db) => (await db.query<{ v: Record<string, unknown> }>('select app.workflow_definition_vocabulary() as v')).rows[0]!.v);
    expect(vocabulary).toEqual({
      workflow_types: WORKFLOW_TYPES, trigger_kinds: TRIGGER_KINDS, renewal_stages: RENEWAL_STAGES, schedule_every: SCHEDULE_EVERY,
      plans: PLANS, score_fields: SCORE_FIELDS, step_types: STEP_TYPES, artifact_types: ARTIFACT_TYPES, branch_types: BRANCH_TYPES,
      limits: LIMITS,
    });
  });

  it('pass every core definition the product ships', async () => {
    const docs = await withDb(async (db) => (await db.query<{ key: string; doc: unknown }>(
      `select w.key, app.workflow_definition_document(w.id, v.id) as doc
         from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
        where w.org_id is null`)).rows);
    expect(docs).toHaveLength(16);
    expect(docs.flatMap(({ key, doc }) => workflowDefinitionProblems(doc).map((problem) => `${key}: ${problem}`))).toEqual([]);
  });

  it('generate a JSON Schema with the same vocabulary', () => {
    const schema = JSON.stringify(workflowDefinitionJsonSchema());
    for (const word of [...STEP_TYPES, ...ARTIFACT_TYPES, ...BRANCH_TYPES]) expect(schema).toContain(`"${word}"`);
    expect(workflowDefinitionJsonSchema()).toMatchObject({ type: 'object', required: ['steps'], additionalProperties: false });
  });
});

// The task types, priorities and escalation levels both sides check against: the database's lookup tables.
const taskOptions = () => withDb(async (db) => {
  const { o, levels } = (await db.query('select public.list_task_options() as o, public.list_escalation_levels() as levels')).rows[0]!;
  return { ...TaskOptions.parse(o), escalation_levels: LookupEntries.parse(levels) };
});

describe('saved action config rules: zod and SQL agree', () => {
  it('accept and refuse the same configs', async () => {
    const options = await taskOptions();
    const sql = await withDb(async (db) => {
      const answers: string[][] = [];
      for (const [type, , config] of ACTION_CONFIGS) {
        const { rows } = await db.query<{ problems: string[] }>('select app.saved_action_config_problems($1, $2::jsonb) as problems', [type, JSON.stringify(config)]);
        answers.push(rows[0]!.problems);
      }
      return answers;
    });
    const disagreements = ACTION_CONFIGS.flatMap(([type, name, config, valid], index) => {
      const zod = actionConfigProblems(type, config, options);
      const sqlProblems = sql[index]!;
      return (zod.length === 0) === valid && (sqlProblems.length === 0) === valid ? [] : [{ type, name, valid, zod, sql: sqlProblems }];
    });
    expect(disagreements).toEqual([]);
  });

  it('accept the six core actions as shipped', async () => {
    const core = await withDb(async (db) => (await db.query<{ action_type: string; config: unknown }>(
      'select action_type, config from app.saved_actions where org_id is null')).rows);
    expect(core).toHaveLength(6);
    const options = await taskOptions();
    expect(core.flatMap(({ action_type, config }) => actionConfigProblems(action_type, config, options))).toEqual([]);
  });
});
