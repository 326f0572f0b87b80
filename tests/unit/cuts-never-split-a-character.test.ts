// Text cut to a length is cut by characters, never inside one: String.slice counts UTF-16
// units, so an emoji at the cut left half of it (a lone surrogate), which Postgres refuses
// in JSON (22P02 "Unicode low surrogate must follow a high surrogate"). Before, a contract
// with an emoji straddling the 500th character of a sentence could not be extracted at all
// (extract-contract answered 400 22P02), and the built-in model's answer quoting a note or
// a question cut at an emoji could not be stored.
import { describe, expect, it } from 'vitest';
import { extractWithPatterns } from '../../functions-shared/contracts/patterns.ts';
import { collect, MockProvider } from '../../functions-shared/llm/index.ts';
import { DATA_CLOSE, DATA_OPEN, historyBlock } from '../../functions-shared/prompts/system.ts';
import { firstCharacters, recordedName, wellFormedText } from '../../functions-shared/text.ts';

const wellFormed = (text: string) => text === wellFormedText(text);
const EMOJI = '😀';

describe('cutting text by characters', () => {
  it('firstCharacters and recordedName keep whole characters', () => {
    expect(firstCharacters(`ab${EMOJI}cd`, 3)).toBe(`ab${EMOJI}`);
    expect(firstCharacters(`ab${EMOJI}`, 2)).toBe('ab');
    expect(recordedName(`${'A'.repeat(99)}${EMOJI}z`, 100)).toBe(`${'A'.repeat(99)}${EMOJI}`);
    expect(recordedName('\u200b\u00a0', 100)).toBeNull();
    expect(recordedName('Bot\ud800', 100)).toBe('Bot\ufffd');
  });

  it('a contract quote cut at 500 characters never ends in half an emoji', () => {
    for (let pad = 380; pad < 460; pad += 1) {
      const page = `This Agreement renews automatically for successive periods of twelve (12) months ${'x'.repeat(pad)}${EMOJI} end.`;
      for (const field of extractWithPatterns([page])) expect(wellFormed(field.quote), `pad ${pad}, ${field.key}`).toBe(true);
    }
  });

  it("the built-in model's answers quoting a passage or a question never hold half an emoji", async () => {
    const mock = new MockProvider({ delayMs: 0, today: () => new Date('2026-11-25T12:00:00Z') });
    const context = { customer: { name: 'Acme Corp', arr: 1000, health_score: 80, account_plan: 'manage' } };
    for (let pad = 60; pad < 170; pad += 1) {
      const passage = { source_kind: 'engagement', source_id: '11111111-1111-1111-1111-111111111111', occurred_at: '2026-11-20T10:00:00Z',
        title: 'Call', text: `discount ${'y'.repeat(pad)}${EMOJI} more`, matched: true };
      const system = `You are the assistant.\n${DATA_OPEN}${JSON.stringify(context)}${DATA_CLOSE}${historyBlock([passage], 'rag')}`;
      const found = await collect(mock.chat({ messages: [{ role: 'system', content: system }, { role: 'user', content: 'What did they say about the discount?' }] }));
      expect(wellFormed(found.text), `passage pad ${pad}`).toBe(true);
      const none = await collect(mock.chat({ messages: [
        { role: 'system', content: `You are the assistant.\n${DATA_OPEN}${JSON.stringify(context)}${DATA_CLOSE}${historyBlock([{ ...passage, matched: false }], 'rag')}` },
        { role: 'user', content: `What did they say about ${'z'.repeat(pad)}${EMOJI} outage?` }] }));
      expect(wellFormed(none.text), `question pad ${pad}`).toBe(true);
    }
  });
});
