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
