// Where a quote sits in a page's text. The citation rule compares with whitespace collapsed
// (a PDF breaks lines where the sentence does not), so the quote's words are matched with
// any run of whitespace between them, and the page keeps its own line breaks.
export function findQuote(page: string, quote: string | null): [number, number] | null {
  const words = (quote ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const pattern = new RegExp(words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  const match = pattern.exec(page);
  return match ? [match.index, match.index + match[0].length] : null;
}

/** The page around the quote: `context` characters either side, cut at whitespace. */
export function excerptAround(page: string, range: [number, number], context = 120): { before: string; quote: string; after: string } {
  const [start, end] = range;
  let from = Math.max(0, start - context);
  let to = Math.min(page.length, end + context);
  if (from > 0) from = page.indexOf(' ', from) + 1 || from;
  if (to < page.length) to = page.lastIndexOf(' ', to) > end ? page.lastIndexOf(' ', to) : to;
  return {
    before: `${from > 0 ? '… ' : ''}${page.slice(from, start)}`,
    quote: page.slice(start, end),
    after: `${page.slice(end, to)}${to < page.length ? ' …' : ''}`,
  };
}
