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
