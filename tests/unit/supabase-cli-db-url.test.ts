// The Supabase CLI treats 127.0.0.1:54322 as its own Docker database and fails without
// Docker; `npm start` uses exactly that port, so the URL we give the CLI must not look local.
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const { cliDbUrl } = (await import(/* @vite-ignore */ path.resolve('local/db/database.mjs'))) as {
  cliDbUrl(url: string): string;
};

describe('cliDbUrl', () => {
  it('disables SSL and avoids the address the CLI takes for its Docker database', () => {
    expect(cliDbUrl('postgresql://postgres:postgres@127.0.0.1:54322/postgres')).toBe(
      'postgresql://postgres:postgres@localhost:54322/postgres?sslmode=disable',
    );
  });

  it('keeps existing query parameters', () => {
    expect(cliDbUrl('postgresql://u:p@127.0.0.1:5432/db?application_name=x')).toBe(
      'postgresql://u:p@localhost:5432/db?application_name=x&sslmode=disable',
    );
  });
});
