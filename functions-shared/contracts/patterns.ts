// The built-in model: contract fields read with deterministic patterns, so extraction runs
// offline and in tests with the same citations a language model must give. It reads each
// page as sentences (wrapped lines joined back), tries each field's patterns on each
// sentence in document order, and cites the sentence it matched — verbatim from the page
// with whitespace collapsed, which is how the citation rule compares.
import type { ContractFieldKey, ContractFieldValue, ProposedField } from './fields.ts';
import { normaliseText } from './text.ts';
import { firstCharacters } from '../text.ts';

export const BUILT_IN_MODEL = 'renubu-patterns-1';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December)';
// "30 March 2027", "March 30, 2027", "2027-03-30"
const DATE = `(\\d{1,2}(?:st|nd|rd|th)? ${MONTH},? \\d{4}|${MONTH} \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}|\\d{4}-\\d{2}-\\d{2})`;
// "60" or the "(60)" of "sixty (60)": the number is what is read. (The word before it is
// not part of the pattern: tried from every letter of a long word, it made reading a
// sentence take time in the square of its length.)
const COUNT = '\\(?(\\d{1,4})\\)?';
const CURRENCY_SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };

/** A sentence of a page. */
interface Sentence {
  page: number;
  text: string;
}

type Reader = (sentence: string) => { value: ContractFieldValue; confidence: number } | null;

export function isoDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let y: number, m: number, d: number;
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? (\d{4})$/.exec(text);
    const monthFirst = /^([A-Za-z]+) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(text);
    if (dayFirst) [d, m, y] = [Number(dayFirst[1]), MONTHS.indexOf((dayFirst[2] ?? '').toLowerCase()) + 1, Number(dayFirst[3])];
    else if (monthFirst) [m, d, y] = [MONTHS.indexOf((monthFirst[1] ?? '').toLowerCase()) + 1, Number(monthFirst[2]), Number(monthFirst[3])];
    else return null;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const dateAfter = (lead: string): Reader => {
  const pattern = new RegExp(`\\b(?:${lead})\\b\\s*(?:on|:|is)?\\s*(?:the\\s+)?${DATE}`, 'i');
  return (s) => {
    const match = pattern.exec(s);
    const value = match?.[1] ? isoDate(match[1]) : null;
    return value ? { value, confidence: 0.9 } : null;
  };
};

const READERS: Record<ContractFieldKey, Reader> = {
  start_date: dateAfter('commences|commencing|commence|starts|starting|start date|effective date|effective from|begins|beginning'),
  end_date: dateAfter('ends|ending|end date|expires|expiring|expiry date|expiration date|until'),

  auto_renew: (s) => {
    if (/\b(?:does|will|shall)\s+not\s+(?:renew automatically|automatically renew|auto-?renew)|\bno automatic renewal|\bnot\s+(?:be\s+)?renewed automatically/i.test(s)) {
      return { value: false, confidence: 0.9 };
    }
    if (/\b(?:renews?|renewed)\s+automatically|\bautomatically\s+renew|\bauto-?renew(?:s|al)?\b|\brenew for successive/i.test(s)) {
      return { value: true, confidence: 0.9 };
    }
    return null;
  },

  notice_period_days: (s) => {
    if (!/notice/i.test(s) || !/renew/i.test(s)) return null;
    const after = s.slice(s.search(/notice/i));
    const match = new RegExp(`${COUNT}\\s*(?:calendar\\s+)?(days?|months?)\\b`, 'i').exec(after);
    if (!match) return null;
    const n = Number(match[1]);
    return /^month/i.test(match[2] ?? '') ? { value: n * 30, confidence: 0.6 } : { value: n, confidence: 0.85 };
  },

  term_months: (s) => {
    if (!/\b(?:term|duration|period of)\b/i.test(s) || /\brenew/i.test(s)) return null;
    const match = new RegExp(`${COUNT}\\s*(months?|years?)\\b`, 'i').exec(s);
    if (!match) return null;
    const n = Number(match[1]);
    return { value: /^year/i.test(match[2] ?? '') ? n * 12 : n, confidence: 0.8 };
  },

  annual_value: (s) => {
    const money = annualMoney(s);
    return money ? { value: money.amount, confidence: 0.85 } : null;
  },
  currency: (s) => {
    const money = annualMoney(s);
    return money ? { value: money.currency, confidence: 0.85 } : null;
  },

  price_increase_cap_pct: (s) => {
    if (!/increase/i.test(s)) return null;
    const percent = capPercent(s);
    return percent === null ? null : { value: percent, confidence: 0.8 };
  },

  termination_for_convenience: (s) => {
    if (!terminationForConvenience(s)) return null;
    const refused = /\b(?:neither party may|may not|shall not|cannot|can not|no right to|is not entitled to)\b/i.test(s);
    return { value: !refused, confidence: 0.8 };
  },

  payment_terms: (s) => {
    const net = /\bnet\s*(\d{1,3})\b/i.exec(s);
    if (net) return { value: `Net ${net[1]}`, confidence: 0.85 };
    const within = /\b(?:payable|due|paid)\s+within\s+(?:[a-z-]+\s+)?\(?(\d{1,3})\)?\s+days\b/i.exec(s);
    return within ? { value: `Net ${within[1]}`, confidence: 0.6 } : null;
  },
};

// The readers below look for one phrase after another in the same clause. Written as one
// pattern (`terminat\w*[^.]*for convenience`), each occurrence of the first phrase searched
// the rest of the sentence again: a sentence of 'terminate' repeated took minutes. Each
// finds its phrases once, left to right.

/** "… terminate … for convenience", with no full stop between. */
function terminationForConvenience(s: string): boolean {
  return s.split('.').some((clause) => {
    const termination = /\bterminat\w*\b/i.exec(clause);
    if (!termination) return false;
    const after = /\bfor convenience\b/ig;
    after.lastIndex = termination.index + termination[0].length;
    return after.test(clause);
  });
}

const CAP_LEAD = /(?:not exceed|capped at|cap of|no more than|maximum of|at most|limited to|up to)/i;
/**
 * The percentage a cap phrase leads to ("shall not exceed 5%", "up to 3.5 %"): the first
 * percentage whose stretch of text since the last full stop or percent sign holds a cap
 * phrase, or null.
 */
function capPercent(s: string): number | null {
  const percents = /(\d{1,2}(?:\.\d+)?)\s?%/g;
  let from = 0;
  for (let match = percents.exec(s); match; match = percents.exec(s)) {
    const before = s.slice(from, match.index);
    const stretch = before.slice(Math.max(before.lastIndexOf('.'), before.lastIndexOf('%')) + 1);
    if (CAP_LEAD.test(stretch)) return Number(match[1]);
    from = match.index + match[0].length;
  }
  return null;
}

function annualMoney(s: string): { amount: number; currency: string } | null {
  if (!/\b(?:annual|yearly|per annum|per year|each year)\b/i.test(s)) return null;
  const match = /\b(USD|EUR|GBP|CHF|CAD|AUD|SEK|NOK|DKK|JPY)\s?([\d,]+(?:\.\d{1,2})?)\b|([$€£])\s?([\d,]+(?:\.\d{1,2})?)/.exec(s);
  if (!match) return null;
  const currency = match[1] ?? CURRENCY_SYMBOLS[match[3] ?? ''];
  const amount = Number((match[2] ?? match[4] ?? '').replace(/,/g, ''));
  return currency && Number.isFinite(amount) ? { amount, currency } : null;
}

// A new item starts a line: "1.2 ...", "SECTION 4", "Payment terms: ...", or a heading.
const NEW_ITEM = /^(?:\d+(?:\.\d+)*\.?\s|section\b|article\b|clause\b|[A-Z][A-Za-z ]{1,40}:\s|\(?[a-z]\)\s)/i;
const HEADING = /^[A-Z0-9 .,&()'"-]+$/;

/** A page's sentences: wrapped lines joined back into paragraphs, then split after . or ; */
export function sentencesOf(page: string, pageNumber: number): Sentence[] {
  const lines = page.split('\n').map(normaliseText).filter((line) => line !== '');
  // Each paragraph as its lines, asked about only through its last line and whether it is
  // a heading (one line that is one; a paragraph that joined another line is none). Asked
  // of the whole paragraph at every line, a paragraph of many short lines took time in
  // the square of its length.
  const paragraphs: string[][] = [];
  let previousIsHeading = false;
  for (const line of lines) {
    const previous = paragraphs.at(-1)?.at(-1);
    const isHeading = HEADING.test(line);
    const continues: boolean = previous !== undefined && (
      /^[a-z]/.test(line) ||
      (!/[.;:!?]$/.test(previous) && !NEW_ITEM.test(line) && !previousIsHeading && !isHeading)
    );
    if (continues) paragraphs.at(-1)!.push(line);
    else paragraphs.push([line]);
    previousIsHeading = !continues && isHeading;
  }
  return paragraphs
    .map((paragraph) => paragraph.join(' '))
    .flatMap(sentencesIn)
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => ({ page: pageNumber, text }));
}

/**
 * A paragraph cut after each `.` or `;` that a space and a capital, digit, quote or
 * parenthesis follow, but not inside the clause number that opens it ("3. Fees", "1.2.3.
 * Scope"). One pass: the number is measured once, not again behind every full stop.
 */
function sentencesIn(paragraph: string): string[] {
  const clauseNumber = /^\d[\d.]*/.exec(paragraph)?.[0].length ?? 0;
  const sentences: string[] = [];
  let from = 0;
  for (const cut of paragraph.matchAll(/[.;]\s+(?=[A-Z0-9"(])/g)) {
    if (cut.index! >= 1 && cut.index! <= clauseNumber) continue;
    sentences.push(paragraph.slice(from, cut.index! + 1));
    from = cut.index! + cut[0].length;
  }
  sentences.push(paragraph.slice(from));
  return sentences;
}

/** The built-in model: each field's first match in document order, cited by its sentence. */
export function extractWithPatterns(pages: string[]): ProposedField[] {
  const sentences = pages.flatMap((page, i) => sentencesOf(page, i + 1));
  const fields: ProposedField[] = [];
  for (const [key, read] of Object.entries(READERS) as [ContractFieldKey, Reader][]) {
    for (const sentence of sentences) {
      const found = read(sentence.text);
      if (!found) continue;
      fields.push({ key, value: found.value, quote: firstCharacters(sentence.text, 500), page: sentence.page, confidence: found.confidence });
      break;
    }
  }
  return fields;
}
