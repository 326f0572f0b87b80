// Titles the Edge Functions make (the built-in model's task, a thread's summary, a draft
// named after the assistant's subject) are shortened to the database's 300-character title
// bound, as app.fit_title does in SQL: a customer's name alone may be 300 characters.
import { describe, expect, it } from 'vitest';
import { collect, MockProvider, type ChatTurn, type ToolSpec } from '../../functions-shared/llm/index.ts';
import { DATA_CLOSE, DATA_OPEN } from '../../functions-shared/prompts/system.ts';
import { fitTitle, TITLE_LIMIT } from '../../functions-shared/text.ts';

const longName = 'N'.repeat(290);
const system = `You are the assistant.\n${DATA_OPEN}${JSON.stringify({
  customer: { name: longName, arr: 1000, health_score: 50, renewal_stage: 'Critical', days_until_renewal: 10, renewal_date: '2026-12-05' },
})}${DATA_CLOSE}`;
const tool = (name: string): ToolSpec => ({ type: 'function', function: { name, description: name, parameters: { type: 'object', properties: {} } } });
const turns = (text: string): ChatTurn[] => [{ role: 'system', content: system }, { role: 'user', content: text }];

describe('generated titles', () => {
  it('fitTitle keeps a title that fits and shortens one that does not, with an ellipsis', () => {
    expect(TITLE_LIMIT).toBe(300);
    expect(fitTitle('x'.repeat(300))).toBe('x'.repeat(300));
    const cut = fitTitle(`Follow up with ${longName}`);
    expect(Array.from(cut)).toHaveLength(300);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('Follow up with NNN')).toBe(true);
  });

  it('the built-in model names its follow-up task within the bound for a 290-character customer name', async () => {
    const mock = new MockProvider({ delayMs: 0, today: () => new Date('2026-11-25T12:00:00Z') });
    const { toolCalls } = await collect(mock.chat({ messages: turns('Create a follow-up task for next week'), tools: [tool('create_task')] }));
    const title = String(toolCalls[0]!.arguments.title);
    expect(title.startsWith('Follow up with NNN')).toBe(true);
    expect(Array.from(title).length).toBeLessThanOrEqual(300);
  });

  it('the built-in model writes an email subject within the bound for a 290-character customer name', async () => {
    const mock = new MockProvider({ delayMs: 0, today: () => new Date('2026-11-25T12:00:00Z') });
    const { toolCalls } = await collect(mock.chat({ messages: turns('Please write an email to the customer about the renewal'), tools: [tool('draft_email')] }));
    const subject = String(toolCalls[0]!.arguments.subject);
    expect(subject.startsWith('NNN')).toBe(true);
    expect(Array.from(subject).length).toBeLessThanOrEqual(300);
  });
});
