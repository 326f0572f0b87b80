// The brief's prose rests on its facts: the built-in wording cites each fact it states, and
// a model's sentences are kept only when every one cites facts the brief holds.
import { describe, expect, it } from 'vitest';
import { parseCitedLines, renderBrief, writeBrief, type BriefFact } from '../../functions-shared/brief/render.ts';
import type { ChatRequest, LlmProvider, ProviderEvent } from '../../functions-shared/llm/types.ts';

const facts: BriefFact[] = [
  { id: 'f1', kind: 'top_item', customer: 'Nord', workflow: 'Renewal', lane: 'now', stage: 'Critical', days_until_decision: 10 },
  { id: 'f2', kind: 'top_item', customer: 'Hale', workflow: 'Risk review', lane: 'soon', stage: null, days_until_decision: null },
  { id: 'f3', kind: 'health_drop', customer: 'Hale', from: 80, to: 62, drop: 18 },
  { id: 'f4', kind: 'notice_deadline', customer: 'Nord', days: 10, decision_date: '2026-12-14', renewal_date: '2027-02-12' },
  { id: 'f5', kind: 'task_due', customer: 'Tix', title: 'Send the SSO fix note', forced: true },
];

/** A model that answers with fixed text, to exercise what the brief keeps of it. */
function modelSaying(text: string): LlmProvider {
  return {
    name: 'ollama',
    model: 'test-model',
    async *chat(_request: ChatRequest): AsyncIterable<ProviderEvent> {
      yield { type: 'delta', text };
      yield { type: 'done', tokensIn: 1, tokensOut: 1, model: 'test-model' };
    },
  };
}

describe('daily brief prose', () => {
  it('the built-in model states each fact once and cites it', () => {
    const sentences = renderBrief(facts);
    // The lane and the stage as the queue shows them ("Now", "Critical"), never a key ("lane now").
    expect(sentences[0]).toEqual({ text: 'Start with Nord: Renewal (Now lane, Critical stage, decision in 10 days).', facts: ['f1'] });
    expect(sentences[1]!.text).toBe('Then Hale: Risk review (Soon lane).');
    expect(sentences.flatMap((sentence) => sentence.facts).sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(sentences.find((sentence) => sentence.facts.includes('f3'))!.text).toBe("Hale's health fell 18 points, from 80 to 62.");
    expect(sentences.find((sentence) => sentence.facts.includes('f5'))!.text).toMatch(/needs action now/);
  });

  it('says a decision a day away in words, either side of today: "yesterday", "today", "tomorrow"', () => {
    const decision = (days: number) => renderBrief([{ id: 'f1', kind: 'top_item', customer: 'Nord', workflow: 'Renewal', lane: 'now', stage: 'Critical', days_until_decision: days }])[0]!.text;
    expect(decision(-1)).toBe('Start with Nord: Renewal (Now lane, Critical stage, decision yesterday).');
    expect(decision(0)).toContain('decision today');
    expect(decision(1)).toContain('decision tomorrow');
    expect(decision(-2)).toContain('decision 2 days ago');
  });

  it('says dates as the app does ("14 Dec 2026"), never as keys ("2026-12-14")', () => {
    const notice = renderBrief(facts).find((sentence) => sentence.facts.includes('f4'))!.text;
    expect(notice).toBe('Notice for Nord is due in 10 days (14 Dec 2026); otherwise the contract renews on 12 Feb 2027.');
  });

  it('names the stage once when the workflow is named after it ("Emergency Stage"), not twice', () => {
    const sentence = (workflow: string) => renderBrief([{ id: 'f1', kind: 'top_item', customer: 'Contoso', workflow, lane: 'now', stage: 'Emergency', days_until_decision: 5 }])[0]!.text;
    expect(sentence('Emergency Stage')).toBe('Start with Contoso: Emergency Stage (Now lane, decision in 5 days).');
    // Another workflow on a customer in that stage still says the stage.
    expect(sentence('Quarterly Business Review')).toBe('Start with Contoso: Quarterly Business Review (Now lane, Emergency stage, decision in 5 days).');
  });

  it('says the day is clear when there are no facts, claiming nothing', () => {
    expect(renderBrief([])).toEqual([{ text: expect.stringMatching(/queue is clear/), facts: [] }]);
  });

  it('says a first brief of a clear day is the first, and speaks of no last brief it did not have', async () => {
    expect(renderBrief([], { first: true })).toEqual([{ text: 'This is your first brief, and nothing needs you first thing: your queue is clear.', facts: [] }]);
    expect((await writeBrief([], modelSaying('x'), { first: true })).sentences[0]!.text).toMatch(/^This is your first brief/);
    expect(renderBrief([])[0]!.text).toMatch(/since your last brief/);
    // With facts, every sentence still cites one: the web app's heading says it is the first.
    expect(renderBrief(facts, { first: true })).toEqual(renderBrief(facts));
  });

  it('keeps only model sentences that cite facts the brief holds', () => {
    const kept = parseCitedLines('Nord first: notice in 10 days. [f1][f4]\nAcme churned. [f9]\nA sentence without a source.\n- Hale dropped 18 points. [f3]', new Set(facts.map((f) => f.id)));
    expect(kept).toEqual([
      { text: 'Nord first: notice in 10 days.', facts: ['f1', 'f4'] },
      { text: 'Hale dropped 18 points.', facts: ['f3'] },
    ]);
  });

  it('keeps a model sentence without the blank characters around it, and drops one of them alone', () => {
    // JavaScript's trim() keeps U+200B, U+2060 and U+FEFF: a line of them was a blank sentence.
    const kept = parseCitedLines('\u200b\u2060 [f1]\n\u200b- \u00a0Hale dropped 18 points.\u200b\ufeff [f3]', new Set(['f1', 'f3']));
    expect(kept).toEqual([{ text: 'Hale dropped 18 points.', facts: ['f3'] }]);
  });

  it('drops a model sentence with a link, even one citing a fact', () => {
    const kept = parseCitedLines('Reset your password at https://evil.example/login. [f1]\nVisit www.phish.io today. [f3]\nHale dropped. [f3]', new Set(['f1', 'f3']));
    expect(kept).toEqual([{ text: 'Hale dropped.', facts: ['f3'] }]);
  });

  it('falls back to the built-in wording when the model cites nothing it may', async () => {
    const invented = await writeBrief(facts, modelSaying('Everything is fine. [f42]'));
    expect(invented.model).toBe('built-in offline model');
    const cited = await writeBrief(facts, modelSaying('Call Nord today about the notice. [f4]'));
    expect(cited).toEqual({ sentences: [{ text: 'Call Nord today about the notice.', facts: ['f4'] }], model: 'test-model' });
  });
});
