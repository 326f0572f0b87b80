// @ts-check
// `/storage/v1/object…`: the subset of Supabase Storage that supabase-js's storage client
// uses for contract documents (docs/supabase-protocol.md §8, docs/contracts.md): upload (POST, upsert with
// `x-upsert`), update (PUT), download (GET, authenticated or public), remove (DELETE with
// prefixes, or one object), move, list, and signed URLs (create one or many, fetch with `?token=`).
//
// As the Storage server does it, every object operation runs in one transaction on the
// API's pool (`authenticator`) with the caller's JWT role and claims set (RLS on
// storage.objects decides); buckets are read with the service role, as Storage reads them
// as its superuser. Bytes live on disk (storage-disk.mjs), one file per version; a file is
// written before its row and removed when its row is (after commit), so a failed request
// leaves no row without bytes. Errors answer Storage's way: HTTP 400 with the logical
// status as the string `statusCode` (only 500 keeps its status) [STG storage-error.ts].
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { errors as joseErrors, jwtVerify } from 'jose';
import { effectiveBearer } from './api-keys.mjs';
import { inTransaction } from './db.mjs';
import { BODY_LIMITS, MAX_JSON_DEPTH, RequestRejected, decodeSegment, jsonTooDeep, readBody, refuseUnreadBody, sendJson } from './http-util.mjs';
import { JwtError, signJwt, verifyJwt } from './jwt.mjs';
import { API_ROLES } from './rest-rpc.mjs';
import { createObjectDisk } from './storage-disk.mjs';

// Storage's key rule [STG src/storage/limits.ts `isValidKey`].
const VALID_KEY = /^(\w|\/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/;
const MAX_REMOVE = 1000;
const MAX_LIST = 1500;

/**
 * What storage.objects.metadata holds (written by an upload, as Storage writes it).
 * @typedef {{ eTag?: string, size?: number, mimetype?: string, cacheControl?: string, lastModified?: string,
 *   contentLength?: number, httpStatusCode?: number }} ObjectMetadata
 */

/** An answer in Storage's error shape. */
export class StorageError extends Error {
  /** @param {string} statusCode @param {string} error @param {string} message */
  constructor(statusCode, error, message) {
    super(message);
    this.statusCode = statusCode;
    this.error = error;
  }
}
const notFound = () => new StorageError('404', 'not_found', 'Object not found');
const bucketNotFound = () => new StorageError('404', 'Bucket not found', 'Bucket not found');
const unauthorized = (/** @type {string} */ message) => new StorageError('403', 'Unauthorized', message);

/**
 * @typedef {{ role: string, claims: Record<string, unknown> }} Caller
 * @typedef {{ id: string, public: boolean, file_size_limit: string | null, allowed_mime_types: string[] | null }} Bucket
 */

/**
 * @param {{
 *   pool: import('pg').Pool,
 *   config: { dbUrl: string, dataDir?: string, storageDir?: string, jwtSecret: string, anonKey: string, serviceRoleKey: string },
 * }} deps
 */
export function createStorageHandler({ pool, config }) {
  const disk = createObjectDisk(config);

  /**
   * The caller from the bearer token. `optional`: a missing or bad token is anon (the GET
   * routes, which then serve public buckets only); otherwise a bad token is refused.
   * @param {import('node:http').IncomingMessage} req
   * @param {boolean} optional
   * @returns {Promise<Caller>}
   */
  async function callerOf(req, optional) {
    const token = effectiveBearer(req.headers, config);
    if (!token) return { role: 'anon', claims: { role: 'anon' } };
    let claims;
    try {
      claims = await verifyJwt(token, config.jwtSecret);
    } catch (err) {
      if (optional) return { role: 'anon', claims: { role: 'anon' } };
      throw unauthorized(err instanceof JwtError ? err.message : 'invalid token');
    }
    const role = typeof claims.role === 'string' && claims.role ? claims.role : 'anon';
    if (!API_ROLES.includes(role)) throw unauthorized(`permission denied to set role "${role.slice(0, 63)}"`);
    return { role, claims: { ...claims, role } };
  }

  /**
   * One transaction as `caller` (or the service role when null): the settings Storage sets
   * per request [STG scope.ts], then `work`.
   * @template T
   * @param {import('node:http').IncomingMessage} req
   * @param {Caller | null} caller
   * @param {string} operation
   * @param {(client: import('pg').PoolClient) => Promise<T>} work
   * @param {{ trial?: boolean }} [options] trial: rolled back, only to learn whether the
   *   caller may (Storage's testPermission): its refusal is the answer
   * @returns {Promise<T>}
   */
  function asCaller(req, caller, operation, work, { trial = false } = {}) {
    const who = caller ?? { role: 'service_role', claims: { role: 'service_role' } };
    /** @type {[string, string][]} */
    const settings = [
      ['role', who.role],
      ['request.jwt.claims', JSON.stringify(who.claims)],
      ['request.jwt.claim.sub', typeof who.claims.sub === 'string' ? who.claims.sub : ''],
      ['request.jwt.claim.role', who.role],
      ['request.method', req.method ?? 'GET'],
      ['request.path', (req.url ?? '/').split('?')[0] ?? ''],
      ['storage.operation', operation],
      ['storage.allow_delete_query', 'true'],
    ];
    return inTransaction(pool, {
      readOnly: false,
      opening: (client) => `select ${settings.map(([k, v]) => `set_config(${client.escapeLiteral(k)}, ${client.escapeLiteral(v)}, true)`).join(', ')}`,
    }, async (client) => ({ commit: !trial, value: await work(client) }));
  }

  /** @param {import('node:http').IncomingMessage} req @param {string} bucketId @returns {Promise<Bucket>} */
  async function bucketOf(req, bucketId) {
    const rows = await asCaller(req, null, 'storage.bucket.get', async (client) => (await client.query(
      'select id, public, file_size_limit::text, allowed_mime_types from storage.buckets where id = $1', [bucketId])).rows);
    if (!rows[0]) throw bucketNotFound();
    return rows[0];
  }

  /**
   * POST (upload, `x-upsert`) and PUT (update) of `/object/<bucket>/<name>`.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string} name
   */
  async function upload(req, res, bucketId, name) {
    const caller = await callerOf(req, false);
    checkKey(name);
    const bucket = await bucketOf(req, bucketId);
    const limit = Math.min(BODY_LIMITS.storage, bucket.file_size_limit ? Number(bucket.file_size_limit) : Infinity);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > BODY_LIMITS.storage + 64 * 1024) throw tooLarge();
    const file = await readUpload(req);
    if (file.bytes.byteLength > limit) throw tooLarge();
    file.mimetype = checkedMimetype(file.mimetype);
    if (!mimeAllowed(file.mimetype, bucket.allowed_mime_types)) {
      throw new StorageError('415', 'invalid_mime_type', `mime type ${file.mimetype} is not supported`);
    }
    // PUT (update) is an upsert, as Storage's updateObject route makes it [STG
    // routes/object/updateObject.ts `isUpsert: true`]: an object the caller may not update,
    // or cannot see, is refused by its policies (42501, 403), never answered as missing.
    const upsert = req.method === 'PUT' || String(req.headers['x-upsert'] ?? 'false').toLowerCase() === 'true';
    const now = new Date();
    const version = await disk.write(bucketId, file.bytes);
    /** @type {ObjectMetadata} */
    const metadata = {
      eTag: `"${version.replace(/-/g, '')}"`,
      size: file.bytes.byteLength,
      mimetype: file.mimetype,
      cacheControl: file.cacheControl,
      lastModified: now.toUTCString(),
      contentLength: file.bytes.byteLength,
      httpStatusCode: 200,
    };
    const owner = typeof caller.claims.sub === 'string' ? caller.claims.sub : null;
    const ownerUuid = owner && /^[0-9a-f-]{36}$/i.test(owner) ? owner : null;
    /** @type {string | null} */
    let replaced = null;
    let id;
    try {
      id = await asCaller(req, caller, req.method === 'PUT' ? 'storage.object.update' : 'storage.object.upload', async (client) => {
        const values = [bucketId, name, ownerUuid, owner, JSON.stringify(metadata), file.userMetadata, version];
        if (upsert) {
          const old = await client.query('select version from storage.objects where bucket_id = $1 and name = $2', [bucketId, name]);
          replaced = old.rows[0]?.version ?? null;
          const { rows } = await client.query(
            `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
             values ($8, $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
             on conflict (bucket_id, name) do update
               set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
                   user_metadata = excluded.user_metadata, version = excluded.version, last_accessed_at = now()
             returning id`, [...values, randomUUID()]);
          return rows[0].id;
        }
        // A new object needs only the INSERT policy: no RETURNING (which would need SELECT).
        const newId = randomUUID();
        await client.query(
          `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
           values ($8, $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`, [...values, newId]);
        return newId;
      });
    } catch (err) {
      await disk.remove(bucketId, version);
      throw err;
    }
    await disk.remove(bucketId, replaced);
    sendJson(res, 200, { Id: id, Key: `${bucketId}/${name}` });
  }

  /**
   * GET `/object/<bucket>/<name>` (and `/object/authenticated/…`, `/object/public/…`).
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string} name @param {URLSearchParams} query @param {'any' | 'public'} mode
   */
  async function download(req, res, bucketId, name, query, mode) {
    const caller = await callerOf(req, true);
    const bucket = await bucketOf(req, bucketId);
    if (mode === 'public' && !bucket.public) throw bucketNotFound();
    const object = await readObject(req, bucket.public ? null : caller, bucketId, name);
    await serveObject(req, res, bucketId, name, object, query);
  }

  /**
   * @param {import('node:http').IncomingMessage} req @param {Caller | null} caller
   * @param {string} bucketId @param {string} name
   */
  async function readObject(req, caller, bucketId, name) {
    const rows = await asCaller(req, caller, 'storage.object.get', async (client) => (await client.query(
      'select id, version, metadata, updated_at from storage.objects where bucket_id = $1 and name = $2', [bucketId, name])).rows);
    if (!rows[0]) throw notFound();
    return rows[0];
  }

  /**
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string} name
   * @param {{ version: string, metadata: ObjectMetadata | null, updated_at: Date }} object @param {URLSearchParams} query
   * @param {Record<string, string>} [extra]
   */
  async function serveObject(req, res, bucketId, name, object, query, extra = {}) {
    const file = await disk.open(bucketId, object.version);
    if (!file) throw notFound();
    const meta = object.metadata ?? {};
    /** @type {Record<string, string | number>} */
    const headers = {
      ...extra,
      'Content-Type': meta.mimetype ?? 'application/octet-stream',
      'Content-Length': file.size,
      ETag: meta.eTag ?? '',
      'Cache-Control': meta.cacheControl ?? 'no-cache',
      'Last-Modified': meta.lastModified ?? new Date(object.updated_at).toUTCString(),
      'Accept-Ranges': 'bytes',
      // The stored type is the only type: a browser must not guess HTML from the bytes.
      'X-Content-Type-Options': 'nosniff',
    };
    if (query.has('download')) {
      const filename = query.get('download') || name.split('/').pop() || 'download';
      headers['Content-Disposition'] = `attachment; filename=${encodeURIComponent(filename)}; filename*=UTF-8''${encodeURIComponent(filename)};`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    await new Promise((resolve, reject) => {
      const stream = file.stream();
      stream.on('error', reject);
      res.on('close', () => { stream.destroy(); resolve(undefined); });
      stream.on('end', () => resolve(undefined));
      stream.pipe(res);
    });
  }

  /**
   * DELETE `/object/<bucket>` with `{prefixes: [...]}`: deletes the named objects the caller
   * may delete (DELETE … RETURNING as the caller: DELETE and SELECT policies); names that
   * are missing or hidden are skipped without an error.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} bucketId
   */
  async function remove(req, res, bucketId) {
    const caller = await callerOf(req, false);
    const body = await readJson(req);
    const prefixes = body.prefixes;
    if (!Array.isArray(prefixes) || prefixes.length < 1 || prefixes.length > MAX_REMOVE || !prefixes.every((p) => typeof p === 'string')) {
      throw new StorageError('400', 'InvalidRequest', `body/prefixes must be an array of 1 to ${MAX_REMOVE} names`);
    }
    await bucketOf(req, bucketId);
    const rows = await asCaller(req, caller, 'storage.object.delete_many', async (client) => (await client.query(
      `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
       returning name, id, bucket_id, owner, owner_id, version, created_at, updated_at, last_accessed_at, metadata, user_metadata`,
      [bucketId, prefixes])).rows);
    for (const row of rows) await disk.remove(bucketId, row.version);
    sendJson(res, 200, rows.map(({ version, ...row }) => ({ ...row, version })));
  }

  /**
   * DELETE `/object/<bucket>/<name>`: one object. As Storage does it [STG object.ts
   * `deleteObject`]: a name that does not exist is 404; one that exists but the caller's
   * DELETE (or SELECT) policy leaves out is 403 "Access denied", not 404.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string} name
   */
  async function removeOne(req, res, bucketId, name) {
    const caller = await callerOf(req, false);
    await bucketOf(req, bucketId);
    await readObject(req, null, bucketId, name);
    const rows = await asCaller(req, caller, 'storage.object.delete', async (client) => (await client.query(
      'delete from storage.objects where bucket_id = $1 and name = $2 returning version', [bucketId, name])).rows);
    if (!rows[0]) throw new StorageError('403', 'Unauthorized', 'Access denied');
    await disk.remove(bucketId, rows[0].version);
    sendJson(res, 200, { message: 'Successfully deleted' });
  }

  /**
   * POST `/object/move` `{bucketId, sourceKey, destinationKey, destinationBucket?}`. As Storage
   * does it [STG object.ts `moveObject`]: first a trial as the caller, rolled back, that reads
   * the source and renames it (SELECT and UPDATE policies: a source they cannot see, or may
   * not update, is 404; a destination their policy refuses is 403; a name taken is 409), then
   * the move itself as the service role, the bytes copied first when the bucket changes.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function move(req, res) {
    const caller = await callerOf(req, false);
    const body = await readJson(req);
    const { bucketId, sourceKey, destinationKey } = body;
    const destinationBucket = body.destinationBucket ?? bucketId;
    if (![bucketId, sourceKey, destinationKey, destinationBucket].every((v) => typeof v === 'string' && v !== '')) {
      throw new StorageError('400', 'InvalidRequest', 'body must have bucketId, sourceKey and destinationKey as text');
    }
    checkKey(destinationKey);
    const owner = typeof caller.claims.sub === 'string' ? caller.claims.sub : null;
    const ownerUuid = owner && /^[0-9a-f-]{36}$/i.test(owner) ? owner : null;
    const rename = `update storage.objects set name = $3, bucket_id = $4, owner = $5, owner_id = $6, version = coalesce($7, version)
                     where bucket_id = $1 and name = $2 returning id, version`;
    await asCaller(req, caller, 'storage.object.move', async (client) => {
      const found = await client.query('select id from storage.objects where bucket_id = $1 and name = $2', [bucketId, sourceKey]);
      if (!found.rows[0]) throw notFound();
      const moved = await client.query(rename, [bucketId, sourceKey, destinationKey, destinationBucket, ownerUuid, owner, null]);
      if (!moved.rows[0]) throw notFound();
    }, { trial: true });
    const source = await readObject(req, null, bucketId, sourceKey);
    /** @type {string | null} */
    let copied = null;
    if (destinationBucket !== bucketId) {
      const file = await disk.open(bucketId, source.version);
      if (!file) throw notFound();
      copied = await disk.write(destinationBucket, await bytesOf(file.stream()));
    }
    let moved;
    try {
      moved = await asCaller(req, null, 'storage.object.move', async (client) => (await client.query(
        rename, [bucketId, sourceKey, destinationKey, destinationBucket, ownerUuid, owner, copied])).rows[0]);
      if (!moved) throw notFound();
    } catch (err) {
      if (copied) await disk.remove(destinationBucket, copied);
      throw err;
    }
    if (copied) await disk.remove(bucketId, source.version);
    sendJson(res, 200, { message: 'Successfully moved', Id: moved.id, Key: destinationKey });
  }

  /**
   * POST `/object/list/<bucket>`: one level under `prefix`; folders first-class with null
   * id, metadata and timestamps, as storage.search returns them.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {string} bucketId
   */
  async function list(req, res, bucketId) {
    const caller = await callerOf(req, false);
    const body = await readJson(req);
    const prefix = typeof body.prefix === 'string' ? body.prefix.replace(/^\/+/, '') : '';
    const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const limit = Math.min(Number.isInteger(body.limit) && body.limit > 0 ? body.limit : 100, MAX_LIST);
    const offset = Number.isInteger(body.offset) && body.offset > 0 ? body.offset : 0;
    const search = typeof body.search === 'string' ? body.search : '';
    /** @type {'name' | 'updated_at' | 'created_at' | 'last_accessed_at'} */
    const column = ['name', 'updated_at', 'created_at', 'last_accessed_at'].includes(body.sortBy?.column) ? body.sortBy.column : 'name';
    const desc = body.sortBy?.order === 'desc';
    await bucketOf(req, bucketId);
    const rows = await asCaller(req, caller, 'storage.object.list', async (client) => (await client.query(
      `select name, id, updated_at, created_at, last_accessed_at, metadata from storage.objects
        where bucket_id = $1 and starts_with(name, $2) order by name limit 10000`, [bucketId, folder])).rows);
    /**
     * An object or a folder of the listing (a folder has only its name).
     * @typedef {{ name: string, id: string | null, updated_at: Date | null, created_at: Date | null,
     *   last_accessed_at: Date | null, metadata: ObjectMetadata | null }} ListEntry
     */
    /** @type {Map<string, ListEntry>} */
    const folders = new Map();
    /** @type {ListEntry[]} */
    const files = [];
    for (const row of rows) {
      const rest = row.name.slice(folder.length);
      const [head, ...tail] = rest.split('/');
      if (!head.toLowerCase().startsWith(search.toLowerCase())) continue;
      if (tail.length > 0) folders.set(head, { name: head, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
      else files.push({ ...row, name: head });
    }
    const order = (/** @type {ListEntry} */ a, /** @type {ListEntry} */ b) => {
      // A folder's dates are null: it sorts as the epoch (what `new Date(null)` is).
      const x = column === 'name' ? a.name : new Date(a[column] ?? 0).getTime();
      const y = column === 'name' ? b.name : new Date(b[column] ?? 0).getTime();
      return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
    };
    const all = [...[...folders.values()].sort((a, b) => (a.name < b.name ? -1 : 1) * (desc ? -1 : 1)), ...files.sort(order)];
    sendJson(res, 200, all.slice(offset, offset + limit));
  }

  /**
   * POST `/object/sign/<bucket>/<name>` `{expiresIn}` → `{signedURL}`; POST
   * `/object/sign/<bucket>` `{expiresIn, paths}` → one entry per path. Signing first reads
   * the object as the caller, so only what they may read is signed.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string | null} name
   */
  async function sign(req, res, bucketId, name) {
    const caller = await callerOf(req, false);
    const body = await readJson(req);
    const expiresIn = body.expiresIn;
    if (!Number.isInteger(expiresIn) || expiresIn < 1) {
      throw new StorageError('400', 'InvalidRequest', 'body/expiresIn must be an integer of at least 1');
    }
    await bucketOf(req, bucketId);
    const names = name === null ? body.paths : [name];
    if (!Array.isArray(names) || names.length < 1 || names.length > MAX_REMOVE || !names.every((p) => typeof p === 'string')) {
      throw new StorageError('400', 'InvalidRequest', `body/paths must be an array of 1 to ${MAX_REMOVE} names`);
    }
    const visible = new Set(await asCaller(req, caller, 'storage.object.sign', async (client) => (await client.query(
      'select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [bucketId, names])).rows.map((r) => r.name)));
    const iat = Math.floor(Date.now() / 1000);
    const signed = async (/** @type {string} */ objectName) => {
      const token = await signJwt({ url: `${bucketId}/${objectName}`, iat, exp: iat + expiresIn }, config.jwtSecret);
      return `/object/sign/${bucketId}/${objectName}?token=${token}`;
    };
    if (name !== null) {
      if (!visible.has(name)) throw notFound();
      return sendJson(res, 200, { signedURL: await signed(name) });
    }
    const out = [];
    for (const objectName of names) {
      out.push(visible.has(objectName)
        ? { error: null, path: objectName, signedURL: await signed(objectName) }
        : { error: 'Either the object does not exist or you do not have access to it', path: objectName, signedURL: null });
    }
    sendJson(res, 200, out);
  }

  /**
   * GET `/object/sign/<bucket>/<name>?token=`: no Authorization; the token's signature,
   * expiry and `url` claim decide, then the object is served as the service role.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   * @param {string} bucketId @param {string} name @param {URLSearchParams} query
   */
  async function fetchSigned(req, res, bucketId, name, query) {
    const token = query.get('token');
    if (!token) throw new StorageError('400', 'InvalidJWT', 'Missing token');
    /** @type {Record<string, unknown>} */
    let payload;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(config.jwtSecret), { algorithms: ['HS256'] }));
    } catch (err) {
      throw new StorageError('400', 'InvalidJWT', err instanceof joseErrors.JWTExpired ? 'jwt expired' : 'invalid signature');
    }
    const isUploadToken = payload.scope === 'upload' || (payload.scope === undefined && payload.upsert !== undefined);
    if (isUploadToken || payload.url !== `${bucketId}/${name}`) {
      throw new StorageError('400', 'InvalidSignature', 'The url do not match the signature');
    }
    const object = await readObject(req, null, bucketId, name);
    const exp = typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toUTCString() : '';
    await serveObject(req, res, bucketId, name, object, query, exp ? { Expires: exp } : {});
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} subPath the path after `/storage/v1`
   * @param {URLSearchParams} query
   */
  return async function handleStorage(req, res, subPath, query) {
    try {
      const segments = subPath.split('/').filter((s, i) => i > 0 || s !== '');
      if (segments[0] !== 'object') throw new StorageError('404', 'not_found', `Route ${req.method}:${subPath} not found`);
      const method = req.method ?? 'GET';
      const [, first, ...rest] = segments;
      const [bucketSegment = ''] = rest; // there whenever a branch below reads it
      const decode = (/** @type {string[]} */ parts) => parts.map(decodeSegment).join('/');
      if (first === 'sign' && rest.length >= 1) {
        const bucketId = decodeSegment(bucketSegment);
        const name = rest.length > 1 ? normaliseName(decode(rest.slice(1))) : null;
        if (method === 'POST') return await sign(req, res, bucketId, name);
        if ((method === 'GET' || method === 'HEAD') && name) return await fetchSigned(req, res, bucketId, name, query);
      } else if (first === 'list' && rest.length === 1 && method === 'POST') {
        return await list(req, res, decodeSegment(bucketSegment));
      } else if ((first === 'authenticated' || first === 'public') && rest.length >= 2 && (method === 'GET' || method === 'HEAD')) {
        return await download(req, res, decodeSegment(bucketSegment), decode(rest.slice(1)), query, first === 'public' ? 'public' : 'any');
      } else if (first === 'move' && rest.length === 0 && method === 'POST') {
        return await move(req, res);
      } else if (first && rest.length === 0 && method === 'DELETE') {
        return await remove(req, res, decodeSegment(first));
      } else if (first && rest.length >= 1) {
        const bucketId = decodeSegment(first);
        const name = normaliseName(decode(rest));
        if (method === 'POST' || method === 'PUT') return await upload(req, res, bucketId, name);
        if (method === 'GET' || method === 'HEAD') return await download(req, res, bucketId, name, query, 'any');
        if (method === 'DELETE') return await removeOne(req, res, bucketId, name);
      }
      throw new StorageError('404', 'not_found', `Route ${method}:/object/${segments.slice(1).join('/')} not found`);
    } catch (err) {
      const answer = toStorageError(err);
      if (!answer) throw err;
      if (res.headersSent) return void res.destroy();
      const status = answer.statusCode === '500' ? 500 : 400;
      return refuseUnreadBody(req, (headers) => sendJson(res, status, { statusCode: answer.statusCode, error: answer.error, message: answer.message }, headers));
    }
  };
}

/** @param {unknown} err @returns {StorageError | null} */
function toStorageError(err) {
  if (err instanceof StorageError) return err;
  if (err instanceof RequestRejected) {
    return err.status === 413 ? tooLarge() : new StorageError(String(err.status), 'InvalidRequest', err.message);
  }
  if (err instanceof pg.DatabaseError) {
    // [STG src/storage/database/errors.ts]
    if (err.code === '42501') return unauthorized('new row violates row-level security policy');
    if (err.code === '23505') return new StorageError('409', 'Duplicate', 'The resource already exists');
    // Malformed input the database refused (bad text representation, NUL characters in
    // text (22021) or JSON (22P05), values out of range): the caller's request, never the
    // server's fault. A name, prefix or bucket id holding NUL reaches here from any route.
    if (['22P02', '22P05', '22021', '22003', '22023'].includes(err.code ?? '')) {
      return new StorageError('400', 'InvalidParameter', 'Invalid parameter');
    }
    if (err.code === '23503') return bucketNotFound();
    return new StorageError('500', 'DatabaseError', 'An unexpected database error occurred');
  }
  return null;
}

function tooLarge() {
  return new StorageError('413', 'Payload too large', 'The object exceeded the maximum allowed size');
}

/** Upload paths lose leading/trailing `/` and collapse `//` (docs/supabase-protocol.md §8). */
function normaliseName(/** @type {string} */ name) {
  return name.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/');
}

/** @param {string} name */
function checkKey(name) {
  if (!name || !VALID_KEY.test(name)) throw new StorageError('400', 'InvalidKey', `Invalid key: ${name}`);
}

// One media type, `type/subtype` with optional `; name=value` parameters of plain tokens
// [RFC 9110 §8.3.1]: no list (`text/plain;a=b, text/html`), no quoted strings, no
// control characters. What is stored is served back as the object's Content-Type, and a
// browser that reads a list takes its last type, so anything else is refused rather than
// checked by its first part.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \t]*;[ \t]*${TOKEN}=${TOKEN})*$`);

/**
 * The upload's media type as it will be stored and served, or a 415 when it is not one
 * well-formed media type.
 * @param {string} mimetype
 */
function checkedMimetype(mimetype) {
  const value = mimetype.trim();
  if (value.length > 255 || !MEDIA_TYPE.test(value)) {
    throw new StorageError('415', 'invalid_mime_type', 'mime type is not a single valid media type');
  }
  return value;
}

/**
 * `allowed_mime_types` entries are exact types or `type/*` [STG uploader.ts validateMimeType].
 * @param {string} mimetype @param {string[] | null} allowed
 */
function mimeAllowed(mimetype, allowed) {
  if (!allowed || allowed.length === 0) return true;
  const base = (mimetype.split(';')[0] ?? '').trim().toLowerCase();
  return allowed.some((entry) => {
    const want = entry.toLowerCase();
    if (want === mimetype.toLowerCase() || want === base) return true;
    return want.endsWith('/*') && base.startsWith(want.slice(0, -1));
  });
}

/**
 * The file of an upload: a multipart form (Blob/File/FormData bodies: the file part, with
 * `cacheControl`, `metadata` and `contentType` fields) or the raw body (type from
 * Content-Type, `cache-control`, base64 JSON `x-metadata`).
 * @param {import('node:http').IncomingMessage} req
 */
async function readUpload(req) {
  const raw = await readBody(req, BODY_LIMITS.storage + 64 * 1024);
  const contentType = String(req.headers['content-type'] ?? 'text/plain;charset=UTF-8');
  if (/^multipart\/form-data/i.test(contentType)) {
    let form;
    try {
      form = await new Request('http://storage.local/', { method: 'POST', headers: { 'content-type': contentType }, body: /** @type {BodyInit} */ (/** @type {unknown} */ (raw)) }).formData();
    } catch {
      throw new StorageError('400', 'InvalidRequest', 'The multipart body could not be read');
    }
    /** @type {Blob | null} */
    let file = null;
    for (const [, value] of form.entries()) {
      if (typeof value !== 'string') { file = value; break; }
    }
    if (!file) throw new StorageError('400', 'InvalidRequest', 'The multipart body has no file');
    const field = (/** @type {string} */ key) => { const v = form.get(key); return typeof v === 'string' ? v : null; };
    const cache = field('cacheControl') ?? '3600';
    return {
      bytes: new Uint8Array(await file.arrayBuffer()),
      mimetype: field('contentType') || file.type || 'text/plain;charset=UTF-8',
      cacheControl: /^\d+$/.test(cache) ? `max-age=${cache}` : cache,
      userMetadata: jsonOrNull(field('metadata')),
    };
  }
  const header = req.headers['x-metadata'];
  return {
    bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
    mimetype: contentType,
    cacheControl: String(req.headers['cache-control'] ?? 'no-cache'),
    userMetadata: typeof header === 'string' ? jsonOrNull(Buffer.from(header, 'base64').toString('utf8')) : null,
  };
}

/** @param {string | null} text */
function jsonOrNull(text) {
  if (!text) return null;
  if (jsonTooDeep(text)) throw new StorageError('400', 'InvalidRequest', `metadata nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object') return null;
    // Postgres's jsonb holds no NUL character; refused here, not as a database error.
    if (holdsNul(value)) throw new StorageError('400', 'InvalidRequest', 'metadata must not contain NUL characters');
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError('400', 'InvalidRequest', 'metadata must be a JSON object');
  }
}

/** Whether any key or string inside a parsed JSON value holds a NUL character. @param {unknown} value @returns {boolean} */
function holdsNul(value) {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\0') || holdsNul(v));
  return false;
}

/** A small JSON body (remove, list, sign). @param {import('node:http').IncomingMessage} req */
async function readJson(req) {
  const raw = (await readBody(req, BODY_LIMITS.rest)).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    const body = JSON.parse(raw);
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch { /* answered below */ }
  throw new StorageError('400', 'InvalidRequest', 'The body must be a JSON object');
}

/** Every byte of a stream. @param {NodeJS.ReadableStream} stream @returns {Promise<Uint8Array>} */
async function bytesOf(stream) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}
