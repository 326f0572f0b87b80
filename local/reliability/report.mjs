// @ts-check
// The summary table of a reliability run, for the terminal and for docs/reliability.md.

/** @param {{ scenario: string, requests: number, errors: number, faults: number, reconciled: number, note?: string }[]} rows */
export function table(rows) {
  const head = ['scenario', 'requests', 'errors', 'faults injected', 'rows reconciled', 'result'];
  const body = rows.map((r) => [r.scenario, String(r.requests), String(r.errors), String(r.faults), String(r.reconciled), r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
