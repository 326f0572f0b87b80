// The Storage subset the contract documents use, driven through supabase-js's storage client
// exactly as the web app and the extract-contract function drive it (docs/supabase-protocol.md §8): upload
// (new, duplicate, upsert, update), download, remove, list, signed URLs, Storage's error
// shape, and row-level security on storage.objects with the caller's JWT role.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA, configModule, useContractStack } from './harness.ts';

const stack = useContractStack();
const BOB = '33333333-3333-4333-8333-333333333333';

async function tokenFor(sub: string, role = 'authenticated', secret = stack.jwtSecret): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, role, aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode(secret));
}
const as = async (sub: string) => stack.client(stack.anonKey, { Authorization: `Bearer ${await tokenFor(sub)}` });
const unique = (name: string) => `${Math.random().toString(36).slice(2, 8)}-${name}`;

beforeAll(async () => {
  // What a project migration does on hosted: a private bucket with limits, a public one,
  // and owner-folder policies (the documented pattern, compared as text).
  await stack.sql(`
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('docs', 'docs', false, 2048, array['text/plain', 'text/plain;charset=UTF-8', 'application/pdf']),
           ('pub', 'pub', true, null, null);
    create policy "own folder read" on storage.objects for select to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = (select auth.uid()::text));
    create policy "own folder insert" on storage.objects for insert to authenticated
      with check (bucket_id in ('docs', 'pub') and (storage.foldername(name))[1] = (select auth.uid()::text));
    create policy "own folder update" on storage.objects for update to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = (select auth.uid()::text));
    create policy "own folder delete" on storage.objects for delete to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = (select auth.uid()::text));`);
});

afterAll(() => {
  // The bytes of this throwaway database's objects (storage-disk.mjs keys them by database).
  const database = new URL(stack.dbUrl).pathname.slice(1);
  const cfg = configModule.stackConfig() as unknown as { dataDir: string };
  if (database) rmSync(path.join(cfg.dataDir, 'storage', database), { recursive: true, force: true });
});

describe('storage: upload and download', () => {
  it('uploads a Blob as multipart and answers {id, path, fullPath}; the row is the caller\'s', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('terms.txt')}`;
    const { data, error } = await ada.storage.from('docs').upload(name, new Blob(['Notice: 60 days'], { type: 'text/plain' }));
    expect(error).toBeNull();
    expect(data).toMatchObject({ path: name, fullPath: `docs/${name}` });
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await stack.sql<{ owner_id: string; metadata: Record<string, unknown>; path_tokens: string[] }>(
      'select owner_id, metadata, path_tokens from storage.objects where bucket_id = $1 and name = $2', ['docs', name]);
    expect(row?.owner_id).toBe(ADA.id);
    expect(row?.metadata).toMatchObject({ size: 15, mimetype: 'text/plain', cacheControl: 'max-age=3600', httpStatusCode: 200 });
    expect(row?.path_tokens).toEqual(name.split('/'));

    const down = await ada.storage.from('docs').download(name);
    expect(down.error).toBeNull();
    expect(await down.data?.text()).toBe('Notice: 60 days');
    expect(down.data?.type).toBe('text/plain');
  });

  it('uploads a raw body with the content type given (default text/plain;charset=UTF-8) and x-metadata', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('raw.txt')}`;
    const { error } = await ada.storage.from('docs').upload(name, Buffer.from('raw text'), { metadata: { source: 'test' } });
    expect(error).toBeNull();
    const [row] = await stack.sql<{ metadata: { mimetype: string }; user_metadata: unknown }>(
      'select metadata, user_metadata from storage.objects where name = $1', [name]);
    expect(row?.metadata.mimetype).toBe('text/plain;charset=UTF-8');
    expect(row?.user_metadata).toEqual({ source: 'test' });
  });

  it('normalises the path: no leading or trailing slash, no empty folders', async () => {
    const ada = await stack.signedIn();
    const file = unique('n.txt');
    const { data, error } = await ada.storage.from('docs').upload(`/${ADA.id}//${file}/`, new Blob(['x'], { type: 'text/plain' }));
    expect(error).toBeNull();
    expect(data?.fullPath).toBe(`docs/${ADA.id}/${file}`);
  });

  it('refuses a name that exists unless upsert; upsert and update replace the bytes', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('v.txt')}`;
    const bucket = ada.storage.from('docs');
    expect((await bucket.upload(name, new Blob(['one'], { type: 'text/plain' }))).error).toBeNull();
    const again = await bucket.upload(name, new Blob(['two'], { type: 'text/plain' }));
    expect(again.error).toMatchObject({ status: 400, statusCode: '409', message: 'The resource already exists' });
    expect((await bucket.upload(name, new Blob(['two'], { type: 'text/plain' }), { upsert: true })).error).toBeNull();
    expect(await (await bucket.download(name)).data?.text()).toBe('two');
    expect((await bucket.update(name, new Blob(['three'], { type: 'text/plain' }))).error).toBeNull();
    expect(await (await bucket.download(name)).data?.text()).toBe('three');
    // Storage's update is an upsert [STG updateObject.ts]: a name not there yet is stored.
    const missing = `${ADA.id}/${unique('none.txt')}`;
    expect((await bucket.update(missing, new Blob(['new'], { type: 'text/plain' }))).error).toBeNull();
    expect(await (await bucket.download(missing)).data?.text()).toBe('new');
  });

  it('enforces the bucket\'s size and mime limits with Storage\'s codes', async () => {
    const ada = await stack.signedIn();
    const big = await ada.storage.from('docs').upload(`${ADA.id}/${unique('big.txt')}`, new Blob(['x'.repeat(4096)], { type: 'text/plain' }));
    expect(big.error).toMatchObject({ status: 400, statusCode: '413', message: 'The object exceeded the maximum allowed size' });
    const png = await ada.storage.from('docs').upload(`${ADA.id}/${unique('a.png')}`, new Blob(['x'], { type: 'image/png' }));
    expect(png.error).toMatchObject({ status: 400, statusCode: '415' });
    const nobucket = await ada.storage.from('nope').upload(`${ADA.id}/a.txt`, new Blob(['x'], { type: 'text/plain' }));
    expect(nobucket.error).toMatchObject({ status: 400, statusCode: '404', message: 'Bucket not found' });
  });

  it('refuses a content type that is not one media type (a list whose first part is allowed), stores nothing', async () => {
    const ada = await stack.signedIn();
    for (const type of ['text/plain;a=b, text/html', 'text/plain, text/html', 'text/plain;a="b"', 'text']) {
      const name = `${ADA.id}/${unique('x.html')}`;
      const { error } = await ada.storage.from('docs').upload(name, '<script>alert(1)</script>', { contentType: type });
      expect(error, type).toMatchObject({ status: 400, statusCode: '415' });
      expect(await stack.sql('select 1 from storage.objects where bucket_id = $1 and name = $2', ['docs', name]), type).toHaveLength(0);
    }
  });

  it('serves an object with its stored type only (nosniff); metadata with a NUL is a 400, not a database error', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('plain.txt')}`;
    expect((await ada.storage.from('docs').upload(name, 'just text', { contentType: 'text/plain; charset=utf-8' })).error)
      .toBeNull();
    const { data } = await ada.storage.from('docs').createSignedUrl(name, 60);
    const served = await fetch(data!.signedUrl);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');

    const withNul = await ada.storage.from('docs').upload(`${ADA.id}/${unique('nul.txt')}`, 'x',
      { contentType: 'text/plain', metadata: { note: 'a\u0000b' } });
    expect(withNul.error).toMatchObject({ status: 400, statusCode: '400', message: 'metadata must not contain NUL characters' });
  });
});

describe('storage: row-level security with the caller\'s role', () => {
  it('refuses an upload outside the caller\'s folder with 403 Unauthorized, and anon', async () => {
    const ada = await stack.signedIn();
    const other = await ada.storage.from('docs').upload(`${BOB}/${unique('x.txt')}`, new Blob(['x'], { type: 'text/plain' }));
    expect(other.error).toMatchObject({ status: 400, statusCode: '403', message: 'new row violates row-level security policy' });
    const anon = await stack.client().storage.from('docs').upload(`${ADA.id}/${unique('x.txt')}`, new Blob(['x'], { type: 'text/plain' }));
    expect(anon.error).toMatchObject({ status: 400, statusCode: '403' });
  });

  it('hides another user\'s object from download, sign and remove; a bad token is refused', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('private.txt')}`;
    await ada.storage.from('docs').upload(name, new Blob(['secret'], { type: 'text/plain' }));
    const bob = await as(BOB);
    expect((await bob.storage.from('docs').download(name)).error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
    expect((await stack.client().storage.from('docs').download(name)).error).toMatchObject({ statusCode: '404' });
    expect((await bob.storage.from('docs').createSignedUrl(name, 60)).error).toMatchObject({ statusCode: '404' });
    const removed = await bob.storage.from('docs').remove([name]);
    expect(removed).toMatchObject({ data: [], error: null });
    expect(await (await ada.storage.from('docs').download(name)).data?.text()).toBe('secret');
    const forged = stack.client(stack.anonKey, { Authorization: `Bearer ${await tokenFor(ADA.id, 'authenticated', 'x'.repeat(40))}` });
    expect((await forged.storage.from('docs').upload(`${ADA.id}/${unique('f.txt')}`, new Blob(['x'], { type: 'text/plain' }))).error)
      .toMatchObject({ status: 400, statusCode: '403' });
    const superuser = stack.client(stack.anonKey, { Authorization: `Bearer ${await tokenFor(ADA.id, 'postgres')}` });
    expect((await superuser.storage.from('docs').upload(`${BOB}/${unique('f.txt')}`, new Blob(['x'], { type: 'text/plain' }))).error)
      .toMatchObject({ statusCode: '403' });
  });

  it('the service role bypasses RLS (owner_id stays null)', async () => {
    const service = stack.client(stack.serviceRoleKey);
    const name = `${BOB}/${unique('service.txt')}`;
    expect((await service.storage.from('docs').upload(name, new Blob(['by service'], { type: 'text/plain' }))).error).toBeNull();
    const [row] = await stack.sql<{ owner_id: string | null }>('select owner_id from storage.objects where name = $1', [name]);
    expect(row?.owner_id).toBeNull();
    expect(await (await service.storage.from('docs').download(name)).data?.text()).toBe('by service');
  });
});

describe('storage: changing an object the caller may not change answers as Storage does', () => {
  const text = (body: string) => new Blob([body], { type: 'text/plain' });
  async function adasObject(body = 'original'): Promise<string> {
    const name = `${ADA.id}/${unique('kept.txt')}`;
    expect((await (await stack.signedIn()).storage.from('docs').upload(name, text(body))).error).toBeNull();
    return name;
  }
  const stored = async (name: string) => (await stack.sql<{ n: number }>(
    'select count(*)::int as n from storage.objects where bucket_id = $1 and name = $2', ['docs', name]))[0]?.n;

  it('a colleague\'s update or upsert of an object RLS hides is 403 (row-level security), never 404, and changes nothing', async () => {
    const name = await adasObject();
    const bob = (await as(BOB)).storage.from('docs');
    for (const [what, answer] of [
      ['update', await bob.update(name, text('forged'))],
      ['upsert', await bob.upload(name, text('forged'), { upsert: true })],
    ] as const) {
      expect(answer.error, what).toMatchObject({ status: 400, statusCode: '403', message: 'new row violates row-level security policy' });
    }
    expect(await (await (await stack.signedIn()).storage.from('docs').download(name)).data?.text()).toBe('original');
  });

  it('a colleague\'s move of an object they cannot see is 404 Object not found; a move into a folder the policy refuses is 403', async () => {
    const name = await adasObject();
    const bob = (await as(BOB)).storage.from('docs');
    expect((await bob.move(name, `${BOB}/${unique('taken.txt')}`)).error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
    const ada = (await stack.signedIn()).storage.from('docs');
    expect((await ada.move(name, `${BOB}/${unique('given.txt')}`)).error)
      .toMatchObject({ status: 400, statusCode: '403', message: 'new row violates row-level security policy' });
    expect(await stored(name)).toBe(1);
  });

  it('a move the caller may make renames the object, its bytes with it; the service role moves across buckets', async () => {
    const name = await adasObject('moved bytes');
    const ada = (await stack.signedIn()).storage.from('docs');
    const target = `${ADA.id}/${unique('renamed.txt')}`;
    const { data, error } = await ada.move(name, target);
    expect(error).toBeNull();
    expect(data).toMatchObject({ message: 'Successfully moved' });
    expect(await (await ada.download(target)).data?.text()).toBe('moved bytes');
    expect(await stored(name)).toBe(0);
    expect((await ada.move(`${ADA.id}/${unique('never.txt')}`, `${ADA.id}/x.txt`)).error).toMatchObject({ statusCode: '404' });

    const service = stack.client(stack.serviceRoleKey).storage.from('docs');
    const elsewhere = `${ADA.id}/${unique('public.txt')}`;
    expect((await service.move(target, elsewhere, { destinationBucket: 'pub' })).error).toBeNull();
    expect(await (await stack.client(stack.serviceRoleKey).storage.from('pub').download(elsewhere)).data?.text()).toBe('moved bytes');
  });

  it('a colleague\'s delete of one object is 403 Access denied (404 only when there is none), and removes nothing', async () => {
    const name = await adasObject();
    const del = async (token: string, objectName: string) => {
      const response = await fetch(`${stack.url}/storage/v1/object/docs/${objectName}`, {
        method: 'DELETE', headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    };
    expect(await del(await tokenFor(BOB), name)).toEqual({ status: 400, body: { statusCode: '403', error: 'Unauthorized', message: 'Access denied' } });
    expect((await del(await tokenFor(BOB), `${ADA.id}/${unique('none.txt')}`)).body).toMatchObject({ statusCode: '404' });
    expect(await stored(name)).toBe(1);
    expect(await del(await tokenFor(ADA.id), name)).toEqual({ status: 200, body: { message: 'Successfully deleted' } });
    expect(await stored(name)).toBe(0);
  });
});

describe('storage: remove and list', () => {
  it('removes named objects, answers the deleted rows and skips missing names; the bytes are gone', async () => {
    const ada = await stack.signedIn();
    const bucket = ada.storage.from('docs');
    const name = `${ADA.id}/${unique('gone.txt')}`;
    await bucket.upload(name, new Blob(['bye'], { type: 'text/plain' }));
    const { data, error } = await bucket.remove([name, `${ADA.id}/never-there.txt`]);
    expect(error).toBeNull();
    expect(data?.map((row) => row.name)).toEqual([name]);
    expect((await bucket.download(name)).error).toMatchObject({ statusCode: '404' });
    expect(await stack.sql('select 1 from storage.objects where name = $1', [name])).toHaveLength(0);
  });

  it('lists one level under a prefix, folders with null id', async () => {
    const ada = await stack.signedIn();
    const folder = unique('listing');
    const bucket = ada.storage.from('docs');
    await bucket.upload(`${ADA.id}/${folder}/b.txt`, new Blob(['b'], { type: 'text/plain' }));
    await bucket.upload(`${ADA.id}/${folder}/a.txt`, new Blob(['a'], { type: 'text/plain' }));
    await bucket.upload(`${ADA.id}/${folder}/sub/c.txt`, new Blob(['c'], { type: 'text/plain' }));
    const { data, error } = await bucket.list(`${ADA.id}/${folder}`);
    expect(error).toBeNull();
    expect(data?.map((entry) => [entry.name, entry.id === null])).toEqual([['sub', true], ['a.txt', false], ['b.txt', false]]);
    expect((await (await as(BOB)).storage.from('docs').list(`${ADA.id}/${folder}`)).data).toEqual([]);
  });
});

describe('storage: signed URLs', () => {
  it('creates a signed URL whose token is an HS256 JWT with url and exp, fetchable without a session', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('signed.txt')}`;
    await ada.storage.from('docs').upload(name, new Blob(['shared'], { type: 'text/plain' }));
    const { data, error } = await ada.storage.from('docs').createSignedUrl(name, 60);
    expect(error).toBeNull();
    expect(data?.signedUrl).toContain(`${stack.url}/storage/v1/object/sign/docs/${name}?token=`);
    const token = new URL(data!.signedUrl).searchParams.get('token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.url).toBe(`docs/${name}`);
    expect(claims.exp - claims.iat).toBe(60);
    const response = await fetch(data!.signedUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('shared');
    expect(response.headers.get('expires')).toBeTruthy();

    // A token for one object does not open another; a tampered one is InvalidJWT.
    const other = `${stack.url}/storage/v1/object/sign/docs/${ADA.id}/other.txt?token=${token}`;
    expect(await (await fetch(other)).json()).toMatchObject({ statusCode: '400', error: 'InvalidSignature' });
    const bad = await fetch(`${data!.signedUrl.slice(0, -3)}abc`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: '400', error: 'InvalidJWT' });
  });

  it('signs many at once: hidden or missing ones get the error and a null URL', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('many.txt')}`;
    await ada.storage.from('docs').upload(name, new Blob(['m'], { type: 'text/plain' }));
    const { data, error } = await ada.storage.from('docs').createSignedUrls([name, `${BOB}/x.txt`], 30);
    expect(error).toBeNull();
    expect(data?.[0]).toMatchObject({ error: null, path: name });
    expect(data?.[0]?.signedUrl).toContain('token=');
    expect(data?.[1]).toMatchObject({ error: 'Either the object does not exist or you do not have access to it', signedURL: null });
  });

  it('refuses an expiresIn below 1', async () => {
    const ada = await stack.signedIn();
    const { error } = await ada.storage.from('docs').createSignedUrl(`${ADA.id}/x.txt`, 0);
    expect(error).toMatchObject({ status: 400, statusCode: '400' });
  });
});

describe('storage: public buckets', () => {
  it('serves a public bucket\'s object at getPublicUrl without a session; a private bucket is "Bucket not found" there', async () => {
    const ada = await stack.signedIn();
    const name = `${ADA.id}/${unique('open.txt')}`;
    expect((await ada.storage.from('pub').upload(name, new Blob(['open'], { type: 'text/plain' }))).error).toBeNull();
    const url = stack.client().storage.from('pub').getPublicUrl(name).data.publicUrl;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('open');
    const privateUrl = stack.client().storage.from('docs').getPublicUrl(`${ADA.id}/x.txt`).data.publicUrl;
    expect(await (await fetch(privateUrl)).json()).toMatchObject({ statusCode: '404', message: 'Bucket not found' });
  });
});
