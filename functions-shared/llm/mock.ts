// The deterministic built-in model (LLM_PROVIDER=mock, the default without OLLAMA_HOST).
// It reads the customer data block of the system prompt and answers in plain sentences
// built from it, streams word by word, and asks for tools the way a real model would:
// an email request becomes a `draft_email` call, a task request a `create_task` call, a
// snooze/escalate/skip/meeting request a `propose_action` call. After a tool result it
// says what happened. It never follows instructions found inside the data — it does not
// follow instructions at all, it only recognises what the CSM asked for.
import type { ChatRequest, ChatTurn, LlmProvider, ProviderEvent, ToolCallRequest } from './types.ts';
import { extractCustomerData } from '../prompts/system.ts';

export const MOCK_MODEL = 'renubu-mock-1';

export interface MockProviderOptions {
  /** Pause between streamed words, so the demo visibly streams. 0 in unit tests. */
  delayMs?: number;
  /** Today's date, for due dates in task proposals; injectable for tests. */
  today?: () => Date;
}

type Json = Record<string, unknown>;

export class MockProvider implements LlmProvider {
  readonly name = 'mock';
  readonly model = MOCK_MODEL;
  private readonly delayMs: number;
  private readonly today: () => Date;

  constructor(options: MockProviderOptions = {}) {
    this.delayMs = options.delayMs ?? 15;
    this.today = options.today ?? (() => new Date());
  }

  async *chat(request: ChatRequest): AsyncGenerator<ProviderEvent> {
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    const data = extractCustomerData(system);
    const offered = new Set((request.tools ?? []).map((t) => t.function.name));
    const { text, calls } = this.answer(request.messages, data, offered);

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

  private answer(messages: ChatTurn[], data: Json | null, offered: Set<string>): { text: string; calls: ToolCallRequest[] } {
    const last = messages[messages.length - 1];
    const facts = new Facts(data);
    if (last?.role === 'tool') return { text: afterTool(last), calls: [] };

    const ask = (last?.content ?? '').toLowerCase();
    const wants = (tool: string) => offered.has(tool);

    if (/summar/.test(ask)) return { text: summarise(messages, facts), calls: [] };

    if (wants('draft_email') && /\b(e-?mail|write to|reach out)\b/.test(ask)) {
      const to = facts.recipient();
      const call: ToolCallRequest = {
        name: 'draft_email',
        arguments: {
          to: to ? [to.email ?? to.name] : [],
          subject: `${facts.name}: your renewal${facts.renewalDate ? ` on ${facts.renewalDate}` : ''}`,
          body: draftBody(facts, to?.name),
        },
      };
      return { text: `I'll draft an email to ${to?.name ?? 'the customer'} about the renewal for you to review.`, calls: [call] };
    }

    if (wants('create_task') && /\b(task|follow[- ]?up|remind)/.test(ask)) {
      const due = new Date(this.today().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
      const call: ToolCallRequest = {
        name: 'create_task',
        arguments: {
          title: `Follow up with ${facts.name}`,
          description: `Follow up on the ${facts.stage ?? 'renewal'} conversation. ${facts.healthSentence()}`.trim(),
          task_type: 'follow_up',
          priority: (facts.risk ?? 0) >= 60 || (facts.days ?? 999) < 14 ? 'high' : 'medium',
          due_date: due,
        },
      };
      return { text: `I'll create a follow-up task for ${facts.name}, due ${due}.`, calls: [call] };
    }

    const proposal = /\bsnooze\b/.test(ask)
      ? { action_key: 'snooze', params: { days: 7, reason: 'Waiting for the customer' } }
      : /\bescalat/.test(ask)
        ? { action_key: 'escalate', params: { level: 'manager', reason: `Renewal risk at ${facts.name}` } }
        : /\b(meeting|schedule|call with)\b/.test(ask)
          ? { action_key: 'schedule_meeting', params: { duration_minutes: 30 } }
          : /\bskip\b/.test(ask)
            ? { action_key: 'skip', params: { reason: 'Internal decision' } }
            : null;
    if (wants('propose_action') && proposal) {
      return {
        text: `I suggest we ${proposal.action_key.replace('_', ' ')}. I've put it up for you to confirm; nothing runs until you click.`,
        calls: [{ name: 'propose_action', arguments: { ...proposal, reason: proposal.params.reason ?? `Suggested for ${facts.name}` } }],
      };
    }

    return { text: facts.answer(ask), calls: [] };
  }
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
      return `I've created the task "${String(output.title ?? 'follow-up')}"${output.due_date ? ` due ${String(output.due_date).slice(0, 10)}` : ''}.`;
    case 'propose_action':
      return `The proposal is waiting for your confirmation.`;
    case 'get_customer_context':
      return `I've refreshed the customer data.`;
    default:
      return `Done.`;
  }
}

function summarise(messages: ChatTurn[], facts: Facts): string {
  const asked = messages.filter((m) => m.role === 'user').map((m) => m.content.trim()).filter(Boolean);
  // The last user turn is the summary request itself.
  const topics = asked.slice(0, -1);
  const opening = `Summary for ${facts.name}: ${facts.healthSentence()}`;
  if (topics.length === 0) return `${opening} No questions were discussed in this conversation.`;
  const list = topics.slice(0, 5).map((t) => `"${t.length > 80 ? `${t.slice(0, 77)}...` : t}"`).join('; ');
  return `${opening} The CSM discussed ${topics.length} point${topics.length === 1 ? '' : 's'}: ${list}.`;
}

function draftBody(facts: Facts, firstName?: string): string {
  const greeting = firstName ? `Hi ${firstName.split(' ')[0]},` : 'Hello,';
  const renewal = facts.renewalDate
    ? `Your renewal of ${facts.name} comes up on ${facts.renewalDate}, and I'd like to make sure the next term works for your team.`
    : `I'd like to check in on how things are going at ${facts.name}.`;
  return `${greeting}\n\n${renewal} Could we find 30 minutes next week to review your goals and usage?\n\nBest regards`;
}

/** Reads the customer context defensively: any part may be missing or null. */
class Facts {
  constructor(private readonly data: Json | null) {}
  private get customer(): Json {
    return obj(this.data?.customer);
  }
  get name(): string {
    return typeof this.customer.name === 'string' ? this.customer.name : 'this customer';
  }
  get arr(): number | null {
    return num(this.customer.arr);
  }
  get health(): number | null {
    return num(this.customer.health_score);
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
    return num(this.customer.risk_score) ?? num(obj(this.data?.intelligence).risk_score);
  }
  get opportunity(): number | null {
    return num(this.customer.opportunity_score) ?? num(obj(this.data?.intelligence).opportunity_score);
  }
  stakeholders(): Json[] {
    const list = obj(this.data?.account_team).stakeholders;
    return Array.isArray(list) ? list.map(obj) : [];
  }
  recipient(): { name: string; email: string | null } | null {
    const people = this.stakeholders();
    const pick = people.find((p) => p.is_champion) ?? people.find((p) => p.is_decision_maker) ?? people[0];
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
  answer(ask: string): string {
    const sentences = [this.healthSentence()];
    if (/risk|churn|worr|concern/.test(ask)) {
      sentences.push(
        this.risk == null
          ? 'There is no risk score recorded yet.'
          : `The risk score is ${this.risk}${this.risk >= 60 ? ', which is high: plan an intervention before the renewal' : ', which is manageable'}.`,
      );
    }
    if (/usage|adoption|seat|user/.test(ask)) {
      const usage = obj(obj(this.data?.data).usage);
      const active = num(usage.active_users);
      const seats = num(usage.licensed_seats);
      sentences.push(
        active != null && seats
          ? `${active} of ${seats} licensed seats are active (${Math.round((active / seats) * 100)}% utilisation).`
          : 'There is no recent usage snapshot.',
      );
    }
    if (/stakeholder|champion|who|contact|decision/.test(ask)) {
      const people = this.stakeholders();
      sentences.push(
        people.length
          ? `Key people: ${people
              .slice(0, 4)
              .map((p) => `${String(p.name)}${p.title ? ` (${String(p.title)})` : ''}${p.is_champion ? ', champion' : ''}${p.is_decision_maker ? ', decision maker' : ''}`)
              .join('; ')}.`
          : 'No stakeholders are recorded.',
      );
    }
    if (/expan|upsell|opportunit|grow/.test(ask)) {
      sentences.push(
        this.opportunity == null ? 'No opportunity score is recorded.' : `The opportunity score is ${this.opportunity}.`,
      );
    }
    if (sentences.length === 1) {
      sentences.push(
        (this.health ?? 50) < 50
          ? 'Health is below 50, so focus on the open issues before talking about the renewal terms.'
          : 'The account looks stable; confirm the renewal timeline and the decision makers.',
      );
    }
    return sentences.join(' ');
  }
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
