// Comments cite the product's own pages: `docs/<page>.md`, and `docs/supabase-protocol.md §N`
// for what the stand-in copies from Supabase (that page's first paragraph says so). A
// citation of a page that is not in docs/, of a section that page does not have, or of the
// notes the stand-in was first written from ("facts §2", "supabase-protocol-facts-2.md"),
// which are not in the repository, sends a reader nowhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE_DIRS = ['local', 'tests', 'functions-shared', 'supabase/functions', 'supabase/tests', 'web/src'];
const SOURCE = /\.(mjs|js|ts|tsx|sql|sh)$/;
const THIS_FILE = path.join('tests', 'unit', 'source-cites-docs.test.ts');

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => SOURCE.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.join(dir, file)));
}

const files = sourceFiles().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const sectionsOf = (page: string) => [...readFileSync(page, 'utf8').matchAll(/^## (§\d+)/gm)].map(([, section]) => section);

describe('what the source cites', () => {
  it('never the notes outside the repository', () => {
    // "facts §2", "[facts-2 §5]", "[facts: Bans]", "(facts: Auth rate limits)", "the facts file"
    const outside = /supabase-protocol-facts|\bfacts(-2)? §|\[facts(-2)?[:\] ]|\(facts: ("|[A-Z][a-z]+ [a-z])|facts file/;
    const citing = files.filter(({ file, text }) => file !== THIS_FILE && outside.test(text)).map(({ file }) => file);
    expect(citing).toEqual([]);
  });

  it('docs pages that exist, and sections of docs/supabase-protocol.md that it has', () => {
    const sections = sectionsOf('docs/supabase-protocol.md');
    expect(sections.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const { file, text } of files) {
      for (const [, page, section] of text.matchAll(/\bdocs\/([a-z0-9-]+\.md)(?: (§\d+))?/g)) {
        if (!existsSync(path.join('docs', page!))) missing.push(`${file}: docs/${page}`);
        else if (section && page === 'supabase-protocol.md' && !sections.includes(section)) missing.push(`${file}: docs/${page} ${section}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
