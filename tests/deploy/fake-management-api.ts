// A fake of the Supabase Management API, just the part `supabase functions deploy --use-api`
// talks to: list a project's functions, receive each function's upload (multipart: a
// `metadata` JSON part and one `file` part per source file), bulk-update the list. It keeps
// what was uploaded so a test can rebuild each function from it.
//
// The fake listens on a free port of its own; `profileFile` writes a CLI profile that points
// the CLI there. (`--profile` takes a built-in name — `supabase-local` is fixed on
// http://localhost:8080, which parallel runs would fight over — or the path of a YAML file
// with the profile's fields: internal/utils/profile.go `LoadProfile`.)
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UploadedFunction {
  slug: string;
  metadata: { entrypoint_path: string; import_map_path: string; verify_jwt: boolean; name: string; static_patterns: string[] };
  files: Map<string, Buffer>;
}

export interface FakeManagementApi {
  uploads: Map<string, UploadedFunction>;
  requests: string[];
  url: string;
  /** Writes a `--profile` file that sends the CLI's Management API calls to this fake. */
  profileFile(path: string): string;
  close(): Promise<void>;
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readUpload(req: http.IncomingMessage, raw: Buffer, slug: string): Promise<UploadedFunction> {
  // The platform's own multipart parser (undici's, behind Request.formData).
  const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(raw) }).formData();
  const files = new Map<string, Buffer>();
  for (const part of form.getAll('file')) {
    if (typeof part !== 'string') files.set(part.name, Buffer.from(await part.arrayBuffer()));
  }
  return { slug, metadata: JSON.parse(String(form.get('metadata'))), files };
}

export async function startFakeManagementApi(): Promise<FakeManagementApi> {
  const uploads = new Map<string, UploadedFunction>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push(`${req.method} ${url.pathname}`);
      // The CLI sends the personal access token it was given (sbp_…).
      if (!String(req.headers.authorization ?? '').startsWith('Bearer sbp_')) {
        return json(res, 401, { message: 'Unauthorized' });
      }
      const deploy = /^\/v1\/projects\/([a-z]{20})\/functions\/deploy$/.exec(url.pathname);
      if (req.method === 'POST' && deploy) {
        const slug = url.searchParams.get('slug') ?? '';
        const upload = await readUpload(req, Buffer.concat(chunks), slug);
        uploads.set(slug, upload);
        return json(res, 201, {
          id: `fn-${slug}`, slug, name: slug, status: 'ACTIVE', version: 1, created_at: Date.now(), updated_at: Date.now(),
          verify_jwt: upload.metadata.verify_jwt, import_map: Boolean(upload.metadata.import_map_path), entrypoint_path: upload.metadata.entrypoint_path,
        });
      }
      if (/^\/v1\/projects\/[a-z]{20}\/functions$/.test(url.pathname)) {
        return json(res, 200, req.method === 'GET' ? [] : JSON.parse(Buffer.concat(chunks).toString() || '[]'));
      }
      if (/^\/v1\/projects\/[a-z]{20}$/.test(url.pathname)) return json(res, 200, { id: 'fake', ref: url.pathname.split('/')[3], name: 'fake', status: 'ACTIVE_HEALTHY' });
      return json(res, 404, { message: `the fake does not know ${req.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    uploads,
    requests,
    url,
    profileFile(file: string) {
      // The fields LoadProfile requires (name, api_url, dashboard_url, project_host).
      writeFileSync(file, [
        'name: renubu-deploy-check', `api_url: ${url}`, `dashboard_url: ${url}/dashboard`, 'project_host: supabase.test', '',
      ].join('\n'));
      return file;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
