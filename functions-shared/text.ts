// Titles the system writes (from a customer's name, a thread's title, the assistant's
// words) are shortened to fit the database's title bound instead of being refused: a
// customer's name alone may be 300 characters. Titles people type are never fitted; the
// database refuses one that is too long (22023 naming the field). The same rule as
// app.fit_title and app.title_limit() in SQL (docs/business-rules.md "Free text").

/** The most characters a title may have (tasks, artifacts, meetings): app.title_limit(). */
export const TITLE_LIMIT = 300;

/** A generated title cut to TITLE_LIMIT characters, ending with an ellipsis when cut. */
export function fitTitle(title: string): string {
  const chars = Array.from(title);
  if (chars.length <= TITLE_LIMIT) return title;
  return chars.slice(0, TITLE_LIMIT - 1).join('').trimEnd() + '…';
}

// Blank text, the database's rule (app.blank_characters and app.trimmed, docs/business-rules.md
// "Required text"): whitespace of every kind and the characters that show as nothing on their
// own (control and format characters, zero-width spaces and joiners, direction marks,
// variation selectors, Hangul fillers, the blank Braille pattern, tags). JavaScript's trim()
// and \s leave out most of the invisible ones (U+200B among them), so a body or key the
// database refuses would pass a schema that used them.
// tests/contract/blank-text-agrees-with-the-database.test.ts checks every code point.
const BLANK_CLASS = '[\\u0001-\\u0020\\u007f-\\u00a0\\u00ad\\u034f\\u061c\\u115f\\u1160\\u1680\\u17b4\\u17b5'
  + '\\u180b-\\u180f\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u2800\\u3000\\u3164\\ufe00-\\ufe0f'
  + '\\ufeff\\uffa0\\ufff0-\\ufffb\\u{e0000}-\\u{e007f}]';
const BLANK_AROUND = new RegExp(`^${BLANK_CLASS}+|${BLANK_CLASS}+$`, 'gu');

/** `value` without the blank characters around it, or null when nothing is left (app.trimmed). */
export function trimmedText(value: string): string | null {
  const trimmed = value.replace(BLANK_AROUND, '');
  return trimmed === '' ? null : trimmed;
}

/** True when `value` is made only of blank characters (or is empty). */
export function isBlankText(value: string): boolean {
  return trimmedText(value) === null;
}

// Displayable text, the database's rule (app.undisplayable_characters and
// app.text_is_displayable, docs/business-rules.md "Displayable text"): a name or a short
// title holds no control character (tab and line break too), no line or paragraph separator,
// no direction mark and no embedding, override or isolate (U+202A–U+202E, U+2066–U+2069),
// which would let it show as something else (a name ending 'gnp.exe' behind U+202E reads
// 'exe.png'). A multi-line text (a message, a note, a body) keeps tab, LF, CR and the
// direction marks that mixed right-to-left and left-to-right text uses. Hebrew and Arabic
// letters are never refused. tests/contract/displayable-text-agrees-with-the-database.test.ts
// checks every code point against the database.
const UNDISPLAYABLE_IN_ONE_LINE = /[\u0001-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNDISPLAYABLE_IN_MULTI_LINE = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** The words of a refusal of undisplayable text, after the field's name (the database's). */
export const UNDISPLAYABLE_TEXT_MESSAGE = 'must not contain control characters or text-direction overrides';

/** True when `value` shows as what it says (app.text_is_displayable); `multiLine` for bodies. */
export function isDisplayableText(value: string, multiLine = false): boolean {
  return !(multiLine ? UNDISPLAYABLE_IN_MULTI_LINE : UNDISPLAYABLE_IN_ONE_LINE).test(value);
}

/**
 * `value` as one displayable line, mended as migration 20261214300000 mended the names stored
 * before the rule: a tab or a line break becomes a space, every other undisplayable character
 * is left out. For a name Renubu records but nobody typed into a form of ours (an agent's).
 */
export function displayableLine(value: string): string {
  return value.replace(/[\t\n\r\u2028\u2029]/gu, ' ').replace(new RegExp(UNDISPLAYABLE_IN_ONE_LINE.source, 'gu'), '');
}

// Which texts of a JSON object are one line (app.text_field_is_one_line): a name, a title, a
// label, a subject and each address of to, cc or attendees, by the field's path as the
// database writes it (content.subject, metadata.owner.name, content.to[1]); every other text
// may hold several lines, and every key is one line (a key is a label where it is shown).
// tests/contract/displayable-text-agrees-with-the-database.test.ts checks it against the database.
const ONE_LINE_FIELD = /(^|\.)(name|title|label|subject|to|cc|attendees)(\[[0-9]+\])?$/;

/** True when the text at `field` (a path: `metadata.owner.name`, `content.to[1]`) is one line. */
export function isOneLineField(field: string): boolean {
  return ONE_LINE_FIELD.test(field);
}

// A lone half of a surrogate pair (what cutting a string by UTF-16 units can leave) is no
// character: JSON.stringify writes it as an escape that Postgres refuses (22P02, invalid
// input syntax for type json), so a value holding one cannot be stored or sent as an argument.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when `value` holds no lone surrogate (String.prototype.isWellFormed). */
export function isWellFormedText(value: string): boolean {
  return value === wellFormedText(value);
}

/** `value` with every lone surrogate replaced by U+FFFD, as String.prototype.toWellFormed does. */
export function wellFormedText(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * The first `max` characters of `value`, counted as code points: String.slice counts UTF-16
 * units and can end inside an emoji, leaving a lone surrogate (see wellFormedText).
 */
export function firstCharacters(value: string, max: number): string {
  return value.length <= max ? value : Array.from(value).slice(0, max).join('');
}

/**
 * Text the caller sent, as a refusal repeats it (a key, a path): its first 60 characters on
 * one displayable line (displayableLine), so a refusal stays a sentence whatever was sent and
 * no override sent in a key turns it around. The database's messages quote the same way
 * (app.quoted, docs/api-contract.md "Errors").
 */
export function quotedBriefly(value: string): string {
  return displayableLine(firstCharacters(value, 60));
}

/** zod's words for keys an object does not take, each quoted briefly: `Unrecognized keys: "a", "b"`. */
export function unrecognizedKeysMessage(keys: readonly string[]): string {
  return `Unrecognized key${keys.length > 1 ? 's' : ''}: ${keys.map((key) => JSON.stringify(quotedBriefly(key))).join(', ')}`;
}

/**
 * A name to record (an agent's, say), cut to `max` characters (firstCharacters) and through
 * the blank-text rule: null when only blank characters are left. NUL characters, which no
 * text in the database can hold, are left out: a name sent as `?agent=a%00b` made every write
 * tool fail with "22P05: unsupported Unicode escape sequence". It is one displayable line
 * (displayableLine), as the database takes an agent's name only so (app.calling_agent): a
 * client named 'Bot<U+202E>gnp.exe' or with a line break had every write refused.
 */
export function recordedName(value: string, max: number): string | null {
  const name = trimmedText(displayableLine(wellFormedText(value).replaceAll('\u0000', '')));
  return name === null ? null : trimmedText(firstCharacters(name, max));
}
