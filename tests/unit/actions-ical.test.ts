// The iCalendar invite stored with a scheduled meeting (RFC 5545).
import { describe, expect, it } from 'vitest';
import { buildInvite, escapeText, foldLine } from '../../functions-shared/actions/ical.ts';

describe('buildInvite', () => {
  const ics = buildInvite({
    uid: 'meeting-1@renubu',
    title: 'Renewal call; pricing, terms',
    start: new Date('2030-02-01T15:00:00Z'),
    durationMinutes: 45,
    attendees: ['cfo@contoso.example', 'ceo@contoso.example'],
    organiserEmail: 'sam.csm@acme.test',
    description: 'Line one\nLine two',
    now: new Date('2030-01-01T00:00:00Z'),
  });

  it('is one VEVENT request with CRLF line endings', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n').filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('starts and ends at the meeting time in UTC', () => {
    expect(ics).toContain('DTSTART:20300201T150000Z');
    expect(ics).toContain('DTEND:20300201T154500Z');
    expect(ics).toContain('DTSTAMP:20300101T000000Z');
    expect(ics).toContain('UID:meeting-1@renubu');
  });

  it('escapes text and lists every attendee', () => {
    expect(ics).toContain('SUMMARY:Renewal call\\; pricing\\, terms');
    expect(ics).toContain('DESCRIPTION:Line one\\nLine two');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('mailto:cfo@contoso.example');
    expect(unfolded).toContain('mailto:ceo@contoso.example');
    expect(unfolded).toContain('ORGANIZER:mailto:sam.csm@acme.test');
  });

  it('folds lines longer than 75 octets', () => {
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe('text helpers', () => {
  it('escapes backslashes first', () => expect(escapeText('a\\b,c')).toBe('a\\\\b\\,c'));
  it('leaves short lines alone and folds long multi-byte lines on character boundaries', () => {
    expect(foldLine('SUMMARY:short')).toBe('SUMMARY:short');
    const folded = foldLine(`SUMMARY:${'é'.repeat(60)}`);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'é'.repeat(60)}`);
    for (const line of folded.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe('no input adds a line to the invite', () => {
  // Every way to break a line, plus controls, quotes and multi-byte text.
  const hostile = [
    'Sync\rATTENDEE:mailto:attacker@evil.example',
    'Sync\nATTENDEE:mailto:attacker@evil.example',
    'Sync\r\nATTENDEE:mailto:attacker@evil.example',
    'Sync\n\rEND:VEVENT\r\nBEGIN:VEVENT',
    'Sync\u2028ORGANIZER:mailto:x@y\u2029',
    'Sync\u0000\u0007\u000b\u000c\u001b\u007f; done, \\ "quoted"',
    `Réunion 🤝 ${'日本語'.repeat(30)}\rX-INJECTED:1`,
  ];
  const PROPERTIES = ['BEGIN', 'END', 'VERSION', 'PRODID', 'CALSCALE', 'METHOD', 'UID', 'DTSTAMP', 'DTSTART', 'DTEND',
    'SUMMARY', 'DESCRIPTION', 'LOCATION', 'ORGANIZER', 'ATTENDEE', 'STATUS', 'SEQUENCE'];

  function lines(ics: string): string[] {
    expect(ics.endsWith('\r\n')).toBe(true);
    // A CR or LF anywhere but in a CRLF line ending is a line break some parser will honour.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const raw of ics.slice(0, -2).split('\r\n')) expect(new TextEncoder().encode(raw).length).toBeLessThanOrEqual(75);
    return ics.slice(0, -2).replace(/\r\n[ \t]/g, '').split('\r\n');
  }
  function unescape(text: string): string {
    return text.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  }

  for (const title of hostile) {
    it(`keeps ${JSON.stringify(title).slice(0, 40)} inside SUMMARY, DESCRIPTION, LOCATION and CN`, () => {
      const ics = buildInvite({
        uid: 'meeting-1@renubu', title, description: title, location: title, organiserName: title,
        start: new Date('2030-02-01T15:00:00Z'), durationMinutes: 30, attendees: ['cfo@contoso.example'],
        organiserEmail: 'sam.csm@acme.test', now: new Date('2030-01-01T00:00:00Z'),
      });
      const all = lines(ics);
      const names = all.map((l) => /^[A-Z-]+/.exec(l)?.[0] ?? '');
      for (const name of names) expect(PROPERTIES).toContain(name);
      expect(names).toEqual(['BEGIN', 'VERSION', 'PRODID', 'CALSCALE', 'METHOD', 'BEGIN', 'UID', 'DTSTAMP', 'DTSTART', 'DTEND',
        'SUMMARY', 'DESCRIPTION', 'LOCATION', 'ORGANIZER', 'ATTENDEE', 'STATUS', 'SEQUENCE', 'END', 'END']);
      expect(all.filter((l) => l.startsWith('ATTENDEE'))).toEqual(['ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:cfo@contoso.example']);
      // The title survives, line breaks as \n and controls dropped.
      const summary = all.find((l) => l.startsWith('SUMMARY:'))!.slice('SUMMARY:'.length);
      // deno-lint-ignore no-control-regex
      const expected = title.replace(/\r\n|\r|\n|\u2028|\u2029/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
      expect(unescape(summary)).toBe(expected);
      const organiser = all.find((l) => l.startsWith('ORGANIZER'))!;
      expect(organiser).toMatch(/^ORGANIZER;CN="[^"]*":mailto:sam\.csm@acme\.test$/);
    });
  }

  it('escapes bare CR, LF, CRLF and the Unicode separators the same way', () => {
    expect(escapeText('a\rb\nc\r\nd\u2028e')).toBe('a\\nb\\nc\\nd\\ne');
    expect(escapeText('tab\tstays\u0000')).toBe('tab\tstays');
  });

  it('keeps attendee addresses to one value', () => {
    const ics = buildInvite({
      uid: 'u\r\nX-UID:1', title: 'T', start: new Date('2030-02-01T15:00:00Z'), durationMinutes: 30,
      attendees: ['a@b.example\r\nX-ATTENDEE:1', 'c"d@e.example'], now: new Date('2030-01-01T00:00:00Z'),
    });
    const all = lines(ics);
    expect(all.filter((l) => l.startsWith('X-'))).toEqual([]);
    expect(all).toContain('UID:uX-UID:1');
    expect(all).toContain('ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:cd@e.example');
  });
});
