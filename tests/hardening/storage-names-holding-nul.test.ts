// A Storage request naming an object, prefix or bucket with a NUL character is the caller's
// bad input: 400 in Storage's shape, on every route, and nothing changes. Postgres text cannot
// hold NUL (it refuses it with 22021), and before, every route but upload passed it to the
// database and answered 500 DatabaseError: download, HEAD, signing one or many, list,
// remove, and a bucket id holding one.
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

let token: string;
let folder: string;

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  token = (await csm.auth.getSession()).data.session!.access_token;
  const { data } = await csm.rpc('get_my_profile');
  folder = `${(data as { org_id: string }).org_id}/${await freshCustomer('Nul Names Co')}`;
});

async function storage(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.url}/storage/v1/object/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: method === 'HEAD' ? '' : await response.text() };
}

describe('storage: a name holding NUL', () => {
  it.each([
    ['download', 'GET', () => `contracts/${folder}/a%00b.txt`],
    ['authenticated download', 'GET', () => `authenticated/contracts/${folder}/a%00b.txt`],
    ['HEAD', 'HEAD', () => `contracts/${folder}/a%00b.txt`],
    ['a download from a bucket whose id holds one', 'GET', () => `con%00tracts/${folder}/a.txt`],
  ])('%s is 400, not 500', async (_, method, path) => {
    const answer = await storage(method, path());
    expect(answer.status).toBe(400);
    if (method !== 'HEAD') expect(JSON.parse(answer.body)).toMatchObject({ statusCode: '400', error: 'InvalidParameter' });
  });

  it.each([
    ['signing one object', 'POST', () => `sign/contracts/${folder}/a%00b.txt`, () => ({ expiresIn: 60 })],
    ['signing many', 'POST', () => 'sign/contracts', () => ({ expiresIn: 60, paths: [`${folder}/a\u0000b.txt`] })],
    ['listing a prefix', 'POST', () => 'list/contracts', () => ({ prefix: `${folder}/a\u0000` })],
    ['listing a bucket whose id holds one', 'POST', () => 'list/con%00tracts', () => ({ prefix: '' })],
    ['removing', 'DELETE', () => 'contracts', () => ({ prefixes: [`${folder}/a\u0000b.txt`] })],
    ['removing from a bucket whose id holds one', 'DELETE', () => 'con%00tracts', () => ({ prefixes: ['a.txt'] })],
  ])('%s is 400 in Storage\'s shape, not 500', async (_, method, path, body) => {
    const answer = await storage(method, path(), body());
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: '400', error: 'InvalidParameter', message: 'Invalid parameter' });
  });
});
