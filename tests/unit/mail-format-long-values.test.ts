// A message stays within the wire's limits whatever the draft holds: no header line past
// RFC 5322's 998 characters (a subject of 5 000 characters, or of 300 outside ASCII, is
// folded into encoded words of at most 75 characters, never split inside a character; a
// long recipient list folds after its commas), and a body of hundreds of kilobytes is
// encoded. Before, the subject went out as one line of 5 000 (or 1 200) characters, which a
// server may refuse, and a body past ~150 KB of UTF-8 threw "Maximum call stack size
// exceeded" in formatMessage, so the email could never be sent.
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../functions-shared/actions/mail.ts';

const base = { from: 'sam@acme.test', to: ['cfo@contoso.example'], subject: 'Renewal', text: 'Hello' };

const headerOf = (message: string) => message.split('\r\n\r\n')[0]!;
const lines = (message: string) => message.split('\r\n');
/** The Subject header's value, unfolded and its encoded words decoded. */
function subjectOf(message: string): string {
  const header = headerOf(message).replace(/\r\n /g, ' ');
  const value = /^Subject: (.*)$/m.exec(header)![1]!;
  const words = value.split(' ').map((w) => /^=\?UTF-8\?B\?(.*)\?=$/.exec(w));
  if (words.some((w) => w === null)) return value;
  return Buffer.concat(words.map((w) => Buffer.from(w![1]!, 'base64'))).toString('utf8');
}

describe('formatMessage and long values', () => {
  for (const [label, subject] of [
    ['5 000 ASCII characters', 'x'.repeat(5000)],
    ['300 accented letters', 'é'.repeat(300)],
    ['300 emoji', '😀'.repeat(300)],
    ['a short one outside ASCII', 'Renewal – next steps'],
  ] as const) {
    it(`a subject of ${label}: no line past 998, words of at most 75, read back whole`, () => {
      const message = formatMessage({ ...base, subject });
      for (const line of lines(message)) expect(line.length).toBeLessThanOrEqual(998);
      for (const word of headerOf(message).match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? []) expect(word.length).toBeLessThanOrEqual(75);
      expect(subjectOf(message)).toBe(subject);
    });
  }

  it('a printable ASCII subject that fits stays as typed', () => {
    expect(headerOf(formatMessage(base))).toContain('\r\nSubject: Renewal\r\n');
  });

  it('twenty long recipients fold after their commas', () => {
    const to = Array.from({ length: 20 }, (_, i) => `someone.with.a.rather.long.address.${i}@a-customer-with-a-long-domain.example`);
    const message = formatMessage({ ...base, to, cc: to });
    for (const line of lines(message)) expect(line.length).toBeLessThanOrEqual(998);
    expect(headerOf(message).replace(/\r\n /g, ' ')).toContain(`To: ${to.join(', ')}`);
  });

  it('a body of 300 KB of UTF-8 is encoded and reads back whole', () => {
    const text = '界'.repeat(100_000);
    const message = formatMessage({ ...base, text });
    const body = message.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toBe(text);
  });
});
