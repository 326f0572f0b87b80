// The deterministic built-in model (LLM_PROVIDER=mock, the default without OLLAMA_HOST).
// It stays offline and repeatable, but it answers the question that was asked: it routes by
// intent (risks, people to talk to, last contact, renewal terms, usage, a draft email, a
// summary) over the customer data block of the system prompt and the numbered history
// passages (<customer_history>), and cites each passage it used as [n]. In a `rag` thread it
// answers from the matched passages and says so when nothing matched; in an on-script
// branch (<step_scope>) it declines questions outside the step. It asks for tools the way a
// real model would (draft_email, create_task, propose_action) and summarises a thread by
// its answers and decisions. It never follows instructions found inside the data — it does
// not follow instructions at all, it only recognises what the CSM asked for.
import type { ChatRequest, ChatTurn, LlmProvider, ProviderEvent, ToolCallRequest } from './types.ts';
import { extractCustomerData, extractHistory, extractScope, SUMMARY_REQUEST } from '../prompts/system.ts';
import { firstCharacters, fitTitle } from '../text.ts';
import { historySourceLabel } from '../api/functions.ts';

export const MOCK_MODEL = 'renubu-mock-1';

export interface MockProviderOptions {
  /** Pause between streamed words, so the demo visibly streams. 0 in unit tests. */
  delayMs?: number;
  /** Today's date, for due dates in task proposals; injectable for tests. */
  today?: () => Date;
}

type Json = Record<string, unknown>;

/** One history passage as the prompt numbers it. */
interface Passage {
  n: number;
  source_kind: string;
  source_subtype?: string | null;
  date: string;
  title: string;
  text: string;
  matched: boolean;
}

export class MockProvider implements LlmProvider {
  readonly name = 'mock';
  readonly model = MOCK_MODEL;
  private readonly delayMs: number;
  private readonly today: () => Date;

  constructor(options: MockProviderOptions = {}) {
    this.delayMs = options.delayMs ?? 15;
    this.today = options.today ?? (() => new Date());
  }

  /** The day a week from today, as YYYY-MM-DD: when a suggested task is due. */
  private aWeekFromToday(): string {
    return new Date(this.today().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  }

  /** That day at a time of day (UTC), as ISO 8601: when a suggested meeting is held. */
  private aWeekFromTodayAt(time: string): string {
    return `${this.aWeekFromToday()}T${time}:00Z`;
  }

  async *chat(request: ChatRequest): AsyncGenerator<ProviderEvent> {
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    const data = extractCustomerData(system);
    const history = extractHistory(system);
    const scope = extractScope(system);
    const offered = new Set((request.tools ?? []).map((t) => t.function.name));
    const passages: Passage[] = (history?.passages ?? []).map((p) => ({ ...p, matched: p.matched === true }));
    const { text, calls } = this.answer(request.messages, data, offered, {
      passages,
      rag: history?.thread_type === 'rag',
      scope,
    });

    const words = text.split(/(?<=\s)/);
    for (const word of words) {
      if (request.signal?.aborted) return;
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      yield { type: 'delta', text: word };
    }
    for (const call of calls) yield { type: 'tool_call', call };
    yield {
      type: 'done',
      tokensIn: request.messages.reduce((sum, m) => sum + countTokens(m.content), 0),
      tokensOut: countTokens(text) + calls.length * 12,
      model: this.model,
    };
  }

  private answer(
    messages: ChatTurn[],
    data: Json | null,
    offered: Set<string>,
    history: { passages: Passage[]; rag: boolean; scope: { step: string; purpose: string } | null },
  ): { text: string; calls: ToolCallRequest[] } {
    const last = messages[messages.length - 1];
    const facts = new Facts(data, history.passages, this.today);
    if (last?.role === 'tool') return { text: afterTool(last), calls: [] };

    const question = last?.content ?? '';
    const ask = question.toLowerCase();
    const wants = (tool: string) => offered.has(tool);

    if (question === SUMMARY_REQUEST || /\bsummar/.test(ask)) return { text: summarise(messages, facts), calls: [] };

    if (wants('draft_email') && /\b(e-?mail|write to|reach out)\b/.test(ask)) {
      const to = facts.recipient(question);
      const call: ToolCallRequest = {
        name: 'draft_email',
        arguments: {
          // Only an address the context holds: a stakeholder without one leaves To empty for the CSM to fill, never their name in it.
          to: to?.email ? [to.email] : [],
          subject: draftSubject(facts),
          body: draftBody(facts, to?.name),
        },
      };
      return { text: `I'll draft an email to ${to?.name ?? 'the customer'} ${facts.draftTopic()} for you to review.`, calls: [call] };
    }

    if (wants('create_task') && /\b(task|follow[- ]?up|remind)/.test(ask)) {
      const due = this.aWeekFromToday();
      const call: ToolCallRequest = {
        name: 'create_task',
        arguments: {
          title: fitTitle(`Follow up with ${facts.name}`),
          description: `Follow up on the ${facts.stage ?? 'renewal'} conversation. ${facts.healthSentence()}`.trim(),
          task_type: 'follow_up',
          priority: (facts.risk ?? 0) >= 60 || (facts.days ?? 999) < 14 ? 'high' : 'medium',
          due_date: due,
        },
      };
      return { text: `I'll create a follow-up task for ${facts.name}, due ${dateInWords(due)}.`, calls: [call] };
    }

    const proposal = /\bsnooze\b/.test(ask)
      ? { action_key: 'snooze', params: { days: 7, reason: 'Waiting for the customer' } }
      : /\bescalat/.test(ask)
        ? { action_key: 'escalate', params: { level: 'manager', reason: `Renewal risk at ${facts.name}` } }
        : /\b(meeting|schedule|call with)\b/.test(ask)
          // A time is what a meeting needs to be approved as proposed (propose_action refuses one without).
          ? { action_key: 'schedule_meeting', params: { duration_minutes: 30, scheduled_at: this.aWeekFromTodayAt('15:00'), ...meetingAttendees(facts.recipient(question)) } }
          : /\bskip\b/.test(ask)
            ? { action_key: 'skip', params: { reason: 'Internal decision' } }
            : null;
    if (wants('propose_action') && proposal) {
      return {
        text: `I suggest we ${proposal.action_key.replace('_', ' ')}. I've put it up for you to confirm; nothing runs until you click.`,
        calls: [{ name: 'propose_action', arguments: { ...proposal, reason: proposal.params.reason ?? `Suggested for ${facts.name}` } }],
      };
    }

    const intents = intentsOf(ask);
    if (history.scope && intents.length === 0 && !sharesWords(ask, `${history.scope.step} ${history.scope.purpose}`)) {
      return {
        text: `That is outside this step (${history.scope.step}), so I won't answer it here. ` +
          `In this step I can help with: ${purposeLine(history.scope.purpose)}. Open a general chat for other questions.`,
        calls: [],
      };
    }
    return { text: facts.answer(question, intents, history.rag), calls: [] };
  }
}

/** A proposed meeting's attendees: the stakeholder asked for (else the champion…), when the context has their address. */
function meetingAttendees(person: { email: string | null } | null): { attendees?: string[] } {
  return person?.email ? { attendees: [person.email] } : {};
}

type Intent = 'risks' | 'people' | 'last_contact' | 'renewal' | 'usage' | 'expansion';

/** What the CSM asked about, in the order the answer addresses it. */
function intentsOf(ask: string): Intent[] {
  const found: Intent[] = [];
  if (/\b(when|how long)\b.*\b(last|talk|spoke|speak|met|meet|contact|heard)|\blast (contact|talk|call|meeting|touch|spoke|conversation|time we)|\bhaven'?t (talked|spoken|heard)/.test(ask)) found.push('last_contact');
  if (/risk|churn|worr|concern|danger|threat|red flag|problem|issue/.test(ask)) found.push('risks');
  if (/\bwho\b|stakeholder|champion|decision|\bpeople\b|talk to|speak to|contact person|sponsor|buyer/.test(ask)) found.push('people');
  if (/renewal|\bterms?\b|contract|notice|auto-?renew|price|pricing|\bdeadline/.test(ask)) found.push('renewal');
  if (/usage|adoption|\bseats?\b|active users|utili[sz]|\blogins?\b/.test(ask)) found.push('usage');
  if (/expan|upsell|opportunit|grow/.test(ask)) found.push('expansion');
  return found;
}

const FILLER = new Set(['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'is', 'are', 'was', 'what', 'me', 'my', 'you', 'your', 'i', 'we', 'it', 'this', 'that', 'with', 'about', 'can', 'do', 'how', 'please', 'tell', 'write', 'give', 'make']);

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !FILLER.has(w)).map((w) => w.replace(/(ing|ed|es|s)$/, ''));
}

/** True when the question shares a content word (crudely stemmed) with the step's purpose. */
function sharesWords(ask: string, purpose: string): boolean {
  const scope = new Set(words(purpose));
  return words(ask).some((w) => w.length > 2 && scope.has(w));
}

/** A step's purpose as the middle of a sentence: placeholders read as "the customer", and no full stop of its own (the sentence adds one). */
function purposeLine(purpose: string): string {
  const clean = purpose.replace(/\{\{[^}]*\}\}/g, 'the customer').replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return clip(clean, 160) || 'this step';
}

/** "What did we say about the SSO outage?" → "the SSO outage". */
function topicOf(question: string): string {
  const q = question.trim().replace(/[?.!]+$/, '');
  const about = /\b(?:about|regarding|on)\s+(.+)$/i.exec(q);
  const topic = about?.[1] ?? q.replace(/^(what|when|where|who|how|why|did|do|does|is|are|was|were|have|has|any|tell me|show me)\b\s*/i, '');
  return clip(topic, 80);
}

function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function afterTool(turn: ChatTurn): string {
  let output: Json = {};
  try {
    output = JSON.parse(turn.content) as Json;
  } catch {
    /* keep empty */
  }
  if (output.error) return `That didn't work: ${String(output.error)} You can try again or do it by hand.`;
  switch (turn.tool_name) {
    case 'draft_email':
      return `I've saved the draft "${String(output.title ?? 'email')}" as an unapproved email draft. Review and approve it before anything is sent; I can't send email myself.`;
    case 'create_task':
      return `I've created the task "${String(output.title ?? 'follow-up')}"${output.due_date ? ` due ${dateInWords(String(output.due_date))}` : ''}.`;
    case 'propose_action':
      return `The proposal is waiting for your confirmation.`;
    case 'get_customer_context':
      return `I've refreshed the customer data.`;
    default:
      return `Done.`;
  }
}

/**
 * A thread's summary by what it established: the answers (their first sentence) and the
 * decisions (drafts saved, tasks created, actions proposed) — never a list of the questions.
 */
function summarise(messages: ChatTurn[], facts: Facts): string {
  const answers = messages
    .filter((m) => m.role === 'assistant' && m.content.trim() !== '')
    .map((m) => m.content.trim());
  const decisions: string[] = [];
  const findings: string[] = [];
  for (const text of answers) {
    for (const sentence of text.split(/(?<=[.!?])\s+/)) {
      const clean = sentence.replace(/\s*\[\d+\]/g, '').trim();
      if (!clean) continue;
      if (/^I've (saved|created)|proposal is waiting|put it up for you to confirm/.test(clean)) {
        if (!decisions.includes(clean)) decisions.push(clean);
      }
    }
    const first = text.split(/(?<=[.!?])\s+/).find((sentence) => !/^(I'll|I suggest|That didn't|Summary for)/.test(sentence.trim()));
    const clean = first?.replace(/\s*\[\d+\]/g, '').trim();
    if (clean && !decisions.includes(clean) && !findings.includes(clean)) findings.push(clean);
  }
  const parts = [`Summary for ${facts.name}:`];
  if (findings.length === 0 && decisions.length === 0) {
    parts.push(`nothing was established in this conversation yet. ${facts.healthSentence()}`);
    return parts.join(' ');
  }
  if (findings.length) parts.push(`Found: ${findings.slice(0, 4).join(' ')}`);
  if (decisions.length) parts.push(`Decided and done: ${decisions.slice(0, 4).join(' ')}`);
  else parts.push('No draft, task or action was decided.');
  return parts.join(' ');
}

/**
 * The draft's text, from the customer context alone: the recipient's first name, why the
 * workflow writes (its type), the renewal date, what the subscription is worth, how the
 * account's health has moved, and the CSM's name to sign with. A fact the context does not
 * hold is left out, never guessed; the same context always gives the same text.
 */
function draftBody(facts: Facts, firstName?: string): string {
  const greeting = firstName ? `Hi ${firstName.split(' ')[0]},` : 'Hello,';
  const paragraphs = [greeting, [facts.purposeOpening(), facts.valueSentence(), facts.healthLine()].filter(Boolean).join(' '), facts.meetingAsk()];
  const signature = facts.csmName ? `Best regards,\n${facts.csmName}` : 'Best regards';
  return [...paragraphs, signature].join('\n\n');
}

/** The draft's subject: the renewal and its date, or the workflow's purpose without one. */
function draftSubject(facts: Facts): string {
  if (facts.renewalDate) return fitTitle(`${facts.name}: your renewal on ${dateInWords(facts.renewalDate)}`);
  const purpose = facts.workflowType === 'opportunity' ? 'making more of your subscription'
    : facts.workflowType === 'risk' ? 'how can we help?' : 'checking in';
  return fitTitle(`${facts.name}: ${purpose}`);
}

/** Reads the customer context defensively: any part may be missing or null. */
class Facts {
  constructor(
    private readonly data: Json | null,
    private readonly passages: Passage[] = [],
    // The model's today (MockProvider's option), so "3 days ago" is counted as the rest of its answer dates things.
    private readonly today: () => Date = () => new Date(),
  ) {}
  private get customer(): Json {
    return obj(this.data?.customer);
  }
  private get intelligence(): Json {
    return obj(this.data?.intelligence);
  }
  private get engagement(): Json {
    return obj(obj(this.data?.data).engagement);
  }
  private get usageData(): Json {
    return obj(obj(this.data?.data).usage);
  }
  private get financials(): Json {
    return obj(obj(this.data?.data).financials);
  }
  get name(): string {
    return typeof this.customer.name === 'string' ? this.customer.name : 'this customer';
  }
  get arr(): number | null {
    return num(this.customer.arr);
  }
  get health(): number | null {
    return num(this.customer.health_score) ?? num(obj(this.intelligence.health).score);
  }
  get plan(): string | null {
    return str(this.customer.account_plan);
  }
  get stage(): string | null {
    return str(this.customer.renewal_stage) ?? str(obj(this.data?.workflow).renewal_stage);
  }
  get days(): number | null {
    return num(this.customer.days_until_renewal) ?? num(obj(this.data?.workflow).days_until_renewal);
  }
  get renewalDate(): string | null {
    return str(this.customer.renewal_date);
  }
  get risk(): number | null {
    return num(this.customer.risk_score) ?? num(obj(this.intelligence.risk).score) ?? num(this.intelligence.risk_score);
  }
  get opportunity(): number | null {
    return num(this.customer.opportunity_score) ?? num(obj(this.intelligence.opportunity).score) ?? num(this.intelligence.opportunity_score);
  }
  private get workflowExecution(): Json {
    return obj(obj(this.data?.workflow).execution);
  }
  /** The workflow being worked ("Risk Intervention"), when the context names one. */
  get workflowName(): string | null {
    return str(this.workflowExecution.workflow_name);
  }
  /** Its type: renewal, risk, opportunity, strategic or custom. */
  get workflowType(): string | null {
    return str(this.workflowExecution.workflow_type);
  }
  /** The CSM's full name (the account team's), to sign a draft with. */
  get csmName(): string | null {
    return str(obj(obj(this.data?.account_team).csm).full_name);
  }
  /** How health moved against its baseline: 'up', 'down', 'stable' or null. */
  get healthTrend(): string | null {
    return str(obj(this.intelligence.health).trend);
  }
  private get healthBaseline(): number | null {
    return num(obj(this.intelligence.health).baseline);
  }
  private get seats(): { active: number; licensed: number } | null {
    const active = num(this.usageData.active_users);
    const licensed = num(this.usageData.licensed_seats);
    return active != null && licensed ? { active, licensed } : null;
  }

  /** What a draft to the customer is about, for the chat's "I'll draft an email to … about …". */
  draftTopic(): string {
    if (this.renewalDate) return `about the renewal on ${dateInWords(this.renewalDate)}`;
    return this.workflowName ? `for the ${this.workflowName} workflow` : 'to check in';
  }

  /** The draft's first sentence: why the CSM writes, by the workflow's type, with the renewal date when known. */
  purposeOpening(): string {
    const renewal = this.renewalDate ? ` before your renewal on ${dateInWords(this.renewalDate)}` : '';
    switch (this.workflowType) {
      case 'risk':
        return `I'm reaching out because I want to make sure ${this.name} is getting what it needs from us${renewal}.`;
      case 'opportunity':
        return `I'd like to explore where ${this.name} could get more from the subscription${renewal}.`;
      case 'strategic':
        return `I'd like to take stock of ${this.name}'s goals with you and plan the months ahead${renewal}.`;
      default:
        return this.renewalDate
          ? `Your renewal of ${this.name} comes up on ${dateInWords(this.renewalDate)}, and I'd like to make sure the next term works for your team.`
          : `I'd like to check in on how things are going at ${this.name}.`;
    }
  }

  /** What the subscription is now: its annual value and, where recorded, the seats in use. */
  valueSentence(): string {
    const seats = this.seats;
    if (this.arr == null) return seats ? `Your team is using ${seats.active} of ${seats.licensed} licensed seats today.` : '';
    return `Your subscription is ${money(this.arr)} a year${seats ? `, with ${seats.active} of ${seats.licensed} licensed seats in use` : ''}.`;
  }

  /** How the account has been going, in words a customer can read: only when health has moved. */
  healthLine(): string {
    // Said as a question: the health score is ours, not something to tell the customer about.
    if (this.healthTrend === 'down') return `I'd like to hear how things are going for your team, and whether anything has changed that we should know about.`;
    if (this.healthTrend === 'up') return `It's been good to see things going well for your team over the last few months.`;
    return '';
  }

  /** The ask: a short meeting, before the decision date (or renewal) when the context gives one. */
  meetingAsk(): string {
    const by = this.decisionDate ?? this.renewalDate;
    const when = by ? `before ${dateInWords(by)}` : 'in the next two weeks';
    const agenda = this.workflowType === 'opportunity' ? 'your goals and where we could help further'
      : this.workflowType === 'risk' ? 'what is working, what is not, and what you need from us'
        : 'your goals, your usage and the next term';
    return `Could we find 30 minutes ${when} to go through ${agenda}?`;
  }

  private get decisionDate(): string | null {
    const decision = str(this.customer.decision_date) ?? str(obj(this.data?.workflow).decision_date);
    const days = num(this.customer.days_until_decision) ?? num(obj(this.data?.workflow).days_until_decision);
    // A decision date gone by is no date to meet before: the renewal's is asked about instead.
    return decision && (days == null || days >= 0) ? decision : null;
  }

  /** Health against its baseline, as a sentence of the assessment: "Health is falling: 54, from 71." */
  healthTrendSentence(): string {
    const health = this.health;
    const baseline = this.healthBaseline;
    const from = baseline != null && health != null && baseline !== health ? `, from ${baseline}` : '';
    if (this.healthTrend === 'down') return `Health is falling${health != null ? `: ${health}${from}` : ''}.`;
    if (this.healthTrend === 'up') return `Health is rising${health != null ? `: ${health}${from}` : ''}.`;
    return '';
  }

  stakeholders(): Json[] {
    const list = obj(this.data?.account_team).stakeholders;
    return Array.isArray(list) ? list.map(obj) : [];
  }
  /**
   * The stakeholder the CSM names in `ask` (full or first name), else the one whose job the
   * CSM names ("to the CFO", "the VP of Finance", "the decision maker"), else the champion,
   * the decision maker, the first.
   */
  recipient(ask = ''): { name: string; email: string | null } | null {
    const people = this.stakeholders();
    const named = people.find((p) => typeof p.name === 'string' && mentions(ask, p.name)) ?? people.find((p) => namesTheirJob(ask, p));
    const pick = named ?? people.find((p) => p.is_champion) ?? people.find((p) => p.is_decision_maker) ?? people[0];
    return pick && typeof pick.name === 'string' ? { name: pick.name, email: str(pick.email) } : null;
  }
  healthSentence(): string {
    const parts: string[] = [];
    if (this.plan) parts.push(`on the ${this.plan} plan`);
    if (this.arr != null) parts.push(`with ARR of ${money(this.arr)}`);
    if (this.health != null) parts.push(`and a health score of ${this.health}`);
    const renewal =
      this.days == null
        ? ''
        : this.days < 0
          ? ` The renewal is ${-this.days} days overdue.`
          : ` The renewal is in ${this.days} days${this.stage ? ` (${this.stage} stage)` : ''}.`;
    return parts.length ? `${this.name} is ${parts.join(' ')}.${renewal}` : `I don't have account data for ${this.name}.${renewal}`;
  }

  /** The answer: one part per intent asked, the history passages used (cited), else an overview. */
  answer(question: string, intents: Intent[], rag: boolean): string {
    const parts: string[] = [];
    for (const intent of intents) parts.push(this[intent]());
    const matched = this.passages.filter((p) => p.matched);
    if (rag) {
      if (matched.length > 0) {
        const lines = matched.slice(0, 3).map((p) => `${p.title} (${kindLabel(p.source_kind, p.source_subtype)}, ${dateInWords(p.date)}): ${clip(plain(p.text), 160)} [${p.n}]`);
        parts.push(`From ${this.name}'s history: ${lines.join(' ')}`);
      } else {
        parts.push(`I found nothing in ${this.name}'s history about ${topicOf(question)}.`);
      }
    }
    if (parts.length === 0) {
      if (this.workflowName) parts.push(`For the ${this.workflowName} workflow:`);
      parts.push(this.healthSentence());
      const trend = this.healthTrendSentence();
      if (trend) parts.push(trend);
      parts.push(
        (this.health ?? 50) < 50
          ? 'Health is below 50, so focus on the open issues before talking about the renewal terms.'
          : 'The account looks stable; confirm the renewal timeline and the decision makers.',
      );
    }
    return parts.join(' ');
  }

  /** The biggest risks, worst first, from the signals the context holds. */
  risks(): string {
    const signals: Array<[number, string]> = [];
    const risk = this.risk;
    if (risk != null && risk >= 40) signals.push([risk, `a ${risk >= 60 ? 'high' : 'moderate'} risk score of ${risk}${trendWord(obj(this.intelligence.risk).trend, 'rising', 'falling')}`]);
    const health = this.health;
    if (health != null && health < 60) signals.push([100 - health, `health at ${health}${trendWord(obj(this.intelligence.health).trend, 'improving', 'declining')}`]);
    else if (obj(this.intelligence.health).trend === 'down') signals.push([45, `health declining (now ${health ?? 'unknown'})`]);
    const days = this.days;
    if (days != null && days < 0) signals.push([95, `the renewal is ${-days} days overdue`]);
    else if (days != null && days <= 30) signals.push([70, `the renewal is only ${days} days away`]);
    const utilisation = this.utilisation();
    if (utilisation != null && utilisation < 0.6) signals.push([65, `only ${Math.round(utilisation * 100)}% of licensed seats are active`]);
    if (this.usageData.trend === 'down') signals.push([55, 'active users are falling']);
    const tickets = num(this.engagement.open_tickets);
    if (tickets != null && tickets > 0) signals.push([40 + tickets * 5, `${tickets} open support ticket${tickets === 1 ? '' : 's'}`]);
    const nps = num(this.engagement.nps_score);
    if (nps != null && nps <= 6) signals.push([60, `a detractor NPS of ${nps}`]);
    const silent = num(this.engagement.days_since_last_contact);
    if (silent != null && silent > 30) signals.push([50, `no contact for ${silent} days`]);
    if (this.stakeholders().length > 0 && !this.stakeholders().some((p) => p.is_champion)) signals.push([50, 'no champion on record']);
    if (this.financials.trend === 'down') signals.push([55, 'ARR has gone down']);
    if (signals.length === 0) {
      return `I see no strong risk signal at ${this.name}${risk != null ? ` (risk score ${risk})` : ''}${health != null ? `, health ${health}` : ''}.`;
    }
    const top = signals.sort((a, b) => b[0] - a[0]).slice(0, 4).map(([, text], i) => `${i + 1}) ${text}`);
    return `The biggest risks at ${this.name}: ${top.join('; ')}.`;
  }

  /** Who to talk to: the champion, the decision maker, then other high-influence people. */
  people(): string {
    const people = this.stakeholders();
    if (people.length === 0) return `No stakeholders are recorded for ${this.name}; ask the account executive who signs the renewal.`;
    const score = (p: Json) => (p.is_champion ? 4 : 0) + (p.is_decision_maker ? 3 : 0) + (p.influence === 'high' ? 2 : p.influence === 'medium' ? 1 : 0);
    const ranked = [...people].sort((a, b) => score(b) - score(a)).slice(0, 3);
    const describe = (p: Json) => {
      const roles = [p.is_champion ? 'champion' : null, p.is_decision_maker ? 'decision maker' : null].filter(Boolean).join(', ');
      const since = str(p.last_contacted_at) ? `, last contacted ${String(p.last_contacted_at).slice(0, 10)}` : '';
      return `${String(p.name)}${p.title ? ` (${String(p.title)}${roles ? `, ${roles}` : ''}${since})` : roles ? ` (${roles}${since})` : ''}`;
    };
    const [first, ...rest] = ranked;
    const ae = str(obj(obj(this.data?.account_team).account_executive).full_name);
    return `Talk to ${describe(first!)} first${rest.length ? `, then ${rest.map(describe).join(' and ')}` : ''}.${ae ? ` Bring in the account executive, ${ae}, for commercial terms.` : ''}`;
  }

  /** The last contact: the newest email or engagement passage (cited), else the context's date. */
  last_contact(): string {
    const contacts = this.passages
      .filter((p) => p.source_kind === 'engagement' || p.source_kind === 'email')
      .sort((a, b) => b.date.localeCompare(a.date));
    const latest = contacts[0];
    if (latest) {
      const since = daysSince(latest.date, this.today());
      return `The last contact with ${this.name} was on ${dateInWords(latest.date)}${since != null ? ` (${daysAgoInWords(since)})` : ''}: ${latest.title} (${kindLabel(latest.source_kind, latest.source_subtype)}) [${latest.n}].`;
    }
    const at = str(this.engagement.last_contact_at);
    if (at) return `The last recorded contact with ${this.name} was a ${String(this.engagement.last_contact_type ?? 'contact').replace('_', ' ')} on ${dateInWords(at)}.`;
    return `There is no recorded contact with ${this.name}.`;
  }

  /** Renewal terms: dates, value, notice period and auto-renewal; contract passages cited. */
  renewal(): string {
    const contract = obj(this.financials.contract);
    const parts: string[] = [];
    if (this.renewalDate) parts.push(`The renewal is due on ${dateInWords(this.renewalDate)}${this.days != null ? ` (${this.days < 0 ? `${-this.days} days overdue` : `in ${this.days} days`})` : ''}${this.stage ? `, ${this.stage} stage` : ''}.`);
    const value = num(contract.annual_value) ?? this.arr;
    if (value != null) parts.push(`The contract is worth ${money(value)} a year${this.plan ? ` on the ${this.plan} plan` : ''}.`);
    const notice = num(contract.notice_period_days);
    const end = str(contract.end_date);
    if (contract.auto_renew === true) parts.push(`It renews automatically${notice != null ? ` unless notice is given ${notice} days before ${end ? dateInWords(end) : 'the end date'}` : ''}.`);
    else if (notice != null) parts.push(`The notice period is ${notice} days.`);
    const cited = this.passages.filter((p) => p.source_kind === 'contract').slice(0, 2);
    for (const p of cited) parts.push(`${p.title}: ${clip(plain(p.text), 140)} [${p.n}]`);
    return parts.length ? parts.join(' ') : `I don't have the renewal terms of ${this.name}: no renewal date or contract is recorded.`;
  }

  utilisation(): number | null {
    const active = num(this.usageData.active_users);
    const seats = num(this.usageData.licensed_seats);
    return num(this.usageData.utilisation) ?? (active != null && seats ? active / seats : null);
  }

  usage(): string {
    const active = num(this.usageData.active_users);
    const seats = num(this.usageData.licensed_seats);
    const utilisation = this.utilisation();
    if (active == null) return `There is no recent usage snapshot for ${this.name}.`;
    // A snapshot of 0 licensed seats (a lapsed or usage-priced plan) is kept; it has no seat
    // usage, as get_customer_context's utilisation is null and the brief's usage_drop skips it.
    if (!seats) return `${active} ${active === 1 ? 'user is' : 'users are'} active, and no licensed seats are recorded, so there is no seat usage to measure.`;
    const baseline = num(this.usageData.baseline_active_users);
    const trend = this.usageData.trend === 'down' ? ', falling' : this.usageData.trend === 'up' ? ', rising' : '';
    return `${active} of ${seats} licensed seats are active (${Math.round((utilisation ?? active / seats) * 100)}% utilisation${trend}${baseline != null && baseline !== active ? `, from ${baseline}` : ''}).`;
  }

  expansion(): string {
    return this.opportunity == null ? 'No opportunity score is recorded.' : `The opportunity score is ${this.opportunity}.`;
  }
}

function trendWord(trend: unknown, up: string, down: string): string {
  return trend === 'up' ? ` and ${up}` : trend === 'down' ? ` and ${down}` : '';
}
/** A passage's source within a sentence: "support ticket", "email sent", as the chat's footnote names it. */
function kindLabel(kind: string, subtype?: string | null): string {
  return historySourceLabel(kind, subtype).toLowerCase();
}
function plain(text: string): string {
  return text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
}
/** `text` cut to `max` characters with "...", never inside a character (firstCharacters). */
function clip(text: string, max: number): string {
  return Array.from(text).length > max ? `${firstCharacters(text, max - 3)}...` : text;
}
function daysSince(date: string, today: Date): number | null {
  const at = Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, Math.floor((today.getTime() - at) / 86_400_000));
}

/** "today", "yesterday", "3 days ago": never "0 days ago". */
function daysAgoInWords(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** `text` with every character a regular expression reads as syntax escaped. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `text` names the person: their full name, or their first name, as whole words. */
function mentions(text: string, name: string): boolean {
  const first = name.trim().split(/\s+/)[0] ?? '';
  return [name.trim(), first].some((part) => part.length > 1 && new RegExp(`(^|[^\\p{L}])${escapeRegExp(part)}([^\\p{L}]|$)`, 'iu').test(text));
}

/** `text` holds `phrase` as whole words, ignoring case. */
function saysWords(text: string, phrase: string): boolean {
  const words = phrase.trim().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(escapeRegExp);
  return words.length > 0 && new RegExp(`(^|[^\\p{L}])${words.join('[^\\p{L}\\p{N}]+(?:of[^\\p{L}\\p{N}]+)?')}([^\\p{L}]|$)`, 'iu').test(text);
}

/**
 * A job title's initials when it has three or more capitalised words: Chief Financial
 * Officer → CFO. Two letters are left out: "Director of Operations" would be "DO", which a
 * CSM writes in capitals for another reason.
 */
function initialsOf(title: string): string | null {
  const capitalised = title.split(/[^\p{L}]+/u).filter((w) => /^\p{Lu}/u.test(w));
  return capitalised.length >= 3 ? capitalised.map((w) => w[0]).join('') : null;
}

/**
 * The CSM names this stakeholder's job: their title or role as words ("VP Finance", also
 * written "VP of Finance"), the title's initials as a word in capitals ("CFO" for Chief
 * Financial Officer), or what the record marks them as ("the champion", "the decision
 * maker", "the economic buyer").
 */
function namesTheirJob(ask: string, person: Json): boolean {
  const jobs = [person.title, person.role].filter((j): j is string => typeof j === 'string' && j.trim().length > 1);
  if (jobs.some((job) => saysWords(ask, job))) return true;
  const initials = jobs.map(initialsOf).filter((i): i is string => i !== null);
  if (initials.some((i) => new RegExp(`(^|[^\\p{L}])${i}s?([^\\p{L}]|$)`, 'u').test(ask))) return true;
  if (person.is_champion === true && saysWords(ask, 'champion')) return true;
  return person.is_decision_maker === true && /\b(decision[- ]maker|economic buyer|signer|signatory)\b/i.test(ask);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** An ISO date (2026-12-05) as a person writes it in an email: 5 December 2026. */
function dateInWords(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : iso;
}

function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
function money(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}
