// The fact behind a brief's sentence reads like the rest of the app: labels in words, money
// as money, calendar days as dates, lanes by their names — never "arr 180000" or "lane now".
import { describe, expect, it } from 'vitest';
import type { BriefFact } from './api.ts';
import { factFields } from './factFields.ts';

const pairs = (fact: BriefFact) => factFields(fact).map((field) => [field.label, field.value]);

describe('a brief fact as labelled values', () => {
  it('formats the top of the queue: workflow, lane, stage, ARR, decision date and days', () => {
    expect(pairs({
      id: 'f1', kind: 'top_item', customer: 'Contoso', customer_id: 'c1', execution_id: 'e1', workflow: 'Critical Stage',
      lane: 'now', stage: 'Critical', decision_date: '2026-12-10', days_until_decision: 5, arr: 180000, priority_score: 96,
    })).toEqual([
      ['Workflow', 'Critical Stage'], ['Lane', 'Now'], ['Renewal stage', 'Critical'], ['Decision due', '10 Dec 2026'],
      ['Decision', 'in 5 days'], ['ARR', '$180,000'], ['Priority', '96'],
    ]);
  });

  it('names the before and after of a drop by what dropped', () => {
    expect(pairs({ id: 'f2', kind: 'usage_drop', customer: 'Contoso', customer_id: 'c1', from: 80, to: 55, drop: 25 } as unknown as BriefFact))
      .toEqual([['Usage before', '80 %'], ['Usage now', '55 %'], ['Down by', '25 points']]);
    expect(pairs({ id: 'f3', kind: 'health_drop', customer: 'Contoso', customer_id: 'c1', from: 70, to: 48, drop: 22 } as unknown as BriefFact))
      .toEqual([['Health before', '70'], ['Health now', '48'], ['Down by', '22']]);
  });

  it('never shows a raw key: an unknown one is put in words, a date in it as a date', () => {
    const fields = factFields({ id: 'f4', kind: 'task_due', customer: 'Contoso', customer_id: 'c1', task_id: 't1', title: 'Call the CFO',
      due_date: '2026-12-11', forced: false, next_review_on: '2027-01-05' } as BriefFact);
    expect(fields.map((field) => field.label)).toEqual(['Title', 'Due', 'Next review on']);
    expect(fields.map((field) => field.value)).toEqual(['Call the CFO', '11 Dec 2026', '5 Jan 2027']);
  });
});
