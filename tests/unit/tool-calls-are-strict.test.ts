// A chat tool call with an argument its tool does not take is refused naming it, as an MCP
// agent's is: one rule (strictToolInput, functions-shared/tool-input.ts). Before, the chat
// function checked calls against the tool's JSON Schema, which let other keys through, so a
// create_task with `assigned_to` made a task for the CSM while the model said it was given to
// someone else. A thread recorded before the schemas said additionalProperties: false is held
// to the rule too; a proposal's own `params` stay the action's to check.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toolInputProblems } from '../../functions-shared/chat/tools.ts';
import type { ToolSpec } from '../../functions-shared/llm/types.ts';
import { strictToolInput } from '../../functions-shared/tool-input.ts';

/** A tool as a thread recorded it before its schema closed its top level. */
const recorded = (name: string, properties: Record<string, unknown>, required: string[]): ToolSpec => ({
  type: 'function',
  function: { name, description: name, parameters: { type: 'object', properties, required } },
} as ToolSpec);

const createTask = recorded('create_task', {
  title: { type: 'string', minLength: 1 },
  due_date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
}, ['title', 'due_date']);
const proposeAction = recorded('propose_action', {
  action_key: { type: 'string', enum: ['snooze'] },
  reason: { type: 'string', minLength: 1 },
  params: { type: 'object' },
}, ['action_key', 'reason']);

describe('a chat tool call\'s arguments', () => {
  it('an argument the tool does not take is refused, naming it', () => {
    expect(toolInputProblems(createTask, { title: 'Call the CFO', due_date: '2030-01-01', assigned_to: 'casey' }))
      .toEqual(['input: Unrecognized key: "assigned_to"']);
    expect(toolInputProblems(createTask, { title: 'Call the CFO', due: '2030-01-01' }))
      .toEqual(['due_date is required', 'input: Unrecognized key: "due"']);
  });

  it('the arguments it takes are accepted, and a proposal\'s params are the action\'s own', () => {
    expect(toolInputProblems(createTask, { title: 'Call the CFO', due_date: '2030-01-01' })).toEqual([]);
    expect(toolInputProblems(proposeAction, { action_key: 'snooze', reason: 'Holiday', params: { days: 7, note: 'x' } })).toEqual([]);
  });

  it('is refused in the words an MCP agent\'s is: one rule', () => {
    const agentTool = strictToolInput(z.object({ title: z.string(), due_date: z.string() }));
    const agent = agentTool.safeParse({ title: 'Call the CFO', due_date: '2030-01-01', assigned_to: 'casey' });
    expect(agent.success).toBe(false);
    expect(toolInputProblems(createTask, { title: 'Call the CFO', due_date: '2030-01-01', assigned_to: 'casey' }))
      .toEqual([`input: ${agent.error!.issues[0]!.message}`]);
  });
});
