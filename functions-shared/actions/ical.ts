// iCalendar (RFC 5545) text for a meeting invite: one VEVENT with METHOD:REQUEST, so mail
// clients show it as an invitation. Stored with the meeting; re-sending keeps the UID.

export interface MeetingInvite {
  uid: string;
  title: string;
  start: Date;
  durationMinutes: number;
  attendees: string[];
  organiserEmail?: string | null;
  organiserName?: string | null;
  location?: string | null;
  description?: string | null;
  now?: Date;
}

/** 20261201T100000Z */
export function icsDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// Every value written into the invite passes one of the helpers below, so no input (a
// meeting title with a bare CR, an attendee with a quote) can end a line early and add a
// property of its own: content lines end only where buildInvite ends them.

// C0 controls except HTAB, and DEL (RFC 5545 §3.3.11: not allowed in TEXT). CR and LF
// are turned into escaped newlines before this runs.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/g;

/**
 * A TEXT value (SUMMARY, DESCRIPTION, LOCATION, ...): every line break (CRLF, bare LF, bare
 * CR, and the Unicode line and paragraph separators) becomes the escaped `\n`; backslash,
 * semicolon and comma are escaped; other control characters are dropped (RFC 5545 §3.3.11).
 */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, '\\n')
    .replace(CONTROL, '');
}

/**
 * A parameter value (e.g. ATTENDEE;CN=...): quoted, since it may hold `:`, `;` or `,`;
 * a double quote cannot be written inside one, so it is dropped, like control characters
 * and line breaks (RFC 5545 §3.2).
 */
export function paramValue(value: string): string {
  return `"${value.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').replace(CONTROL, '').replace(/"/g, '')}"`;
}

/** A mailto: calendar address: nothing that could end the line or the value. */
export function calAddress(email: string): string {
  return `mailto:${email.replace(/[\s"<>\\]|[\u0000-\u001F\u007F]/g, '')}`;
}

/** A value that must be one token (UID): no line breaks, no controls. */
function token(value: string): string {
  return value.replace(/[\s\u0000-\u001F\u007F]/g, '');
}

/** Lines longer than 75 octets are folded: CRLF followed by one space (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const n = new TextEncoder().encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function buildInvite(invite: MeetingInvite): string {
  const end = new Date(invite.start.getTime() + invite.durationMinutes * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Renubu//Workflow engine//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${token(invite.uid)}`,
    `DTSTAMP:${icsDate(invite.now ?? new Date())}`,
    `DTSTART:${icsDate(invite.start)}`,
    `DTEND:${icsDate(end)}`,
    `SUMMARY:${escapeText(invite.title)}`,
    ...(invite.description ? [`DESCRIPTION:${escapeText(invite.description)}`] : []),
    ...(invite.location ? [`LOCATION:${escapeText(invite.location)}`] : []),
    ...(invite.organiserEmail
      ? [`ORGANIZER${invite.organiserName ? `;CN=${paramValue(invite.organiserName)}` : ''}:${calAddress(invite.organiserEmail)}`]
      : []),
    ...invite.attendees.map((email) => `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${calAddress(email)}`),
    'STATUS:CONFIRMED',
    'SEQUENCE:0',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
