// @ts-check
// The local mail catcher: where the Auth stand-in delivers invite and password-reset mail,
// as `supabase start` hands GoTrue's mail to Inbucket / Mailpit on port 54324. Nothing
// leaves the machine. A small page lists what arrived, with its links; a JSON API shaped
// like Mailpit's (`GET /api/v1/messages`, `GET /api/v1/message/<id>`, `DELETE
// /api/v1/messages`) lets tests and scripts read it.
//
//   const mailbox = createMailbox();           // kept in memory, newest first, 200 at most
//   mailbox.deliver({ to, subject, text, html });
//   const server = createMailCatcher({ mailbox, port }); await server.listen();
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const KEEP = 200;

/**
 * @typedef {{ ID: string, From: { Name: string, Address: string }, To: { Name: string, Address: string }[],
 *   Subject: string, Created: string, Text: string, HTML: string, Links: string[] }} CaughtMail
 */

export function createMailbox() {
  /** @type {CaughtMail[]} newest first */
  const mails = [];
  return {
    /** @param {{ to: string, subject: string, text: string, html?: string, from?: string }} mail */
    deliver(mail) {
      const text = mail.text;
      /** @type {CaughtMail} */
      const caught = {
        ID: randomUUID(),
        From: { Name: 'Renubu', Address: mail.from ?? 'noreply@renubu.local' },
        To: [{ Name: '', Address: mail.to }],
        Subject: mail.subject,
        Created: new Date().toISOString(),
        Text: text,
        HTML: mail.html ?? '',
        Links: [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])],
      };
      mails.unshift(caught);
      mails.length = Math.min(mails.length, KEEP);
      return caught;
    },
    /** @returns {CaughtMail[]} newest first */
    list() {
      return [...mails];
    },
    /** @param {string} id */
    get(id) {
      return mails.find((m) => m.ID === id) ?? null;
    },
    clear() {
      mails.length = 0;
    },
  };
}

/** @typedef {ReturnType<typeof createMailbox>} Mailbox */

/** Text made safe inside HTML (the page here, and Auth's mail templates in gateway/auth-mail-template.mjs). @param {string} s */
export const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {CaughtMail[]} mails */
function page(mails) {
  const rows = mails.map((m) => `
    <article>
      <header><strong>${escapeHtml(m.Subject)}</strong><span>to ${escapeHtml(m.To.map((t) => t.Address).join(', '))}</span>
      <time datetime="${m.Created}">${escapeHtml(new Date(m.Created).toLocaleString())}</time></header>
      <pre>${escapeHtml(m.Text)}</pre>
      ${m.Links.map((l) => `<p><a href="${escapeHtml(l)}">${escapeHtml(l.length > 90 ? `${l.slice(0, 90)}…` : l)}</a></p>`).join('')}
    </article>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Renubu local mail</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; }
  article { border: 1px solid #8885; border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; }
  header { display: flex; gap: 1rem; flex-wrap: wrap; align-items: baseline; }
  header span, time { opacity: .75; font-size: .9em; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
  a { word-break: break-all; }
</style></head><body>
<h1>Local mail <small>(${mails.length})</small></h1>
<p>Invitations and password-reset mail sent by the local stack's Auth. Nothing here left this machine.
Reload to see new mail. <a href="/api/v1/messages">JSON</a></p>
${rows || '<p>No mail yet.</p>'}
</body></html>`;
}

/**
 * @param {{ mailbox: Mailbox, port: number, host?: string }} options
 */
export function createMailCatcher({ mailbox, port, host = '127.0.0.1' }) {
  let actualPort = port;
  const server = http.createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://mail');
      /** @param {number} status @param {unknown} body */
      const json = (status, body) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (req.method === 'GET' && url.pathname === '/') {
        const html = page(mailbox.list());
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
        return res.end(html);
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && url.pathname === '/api/v1/messages') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const all = mailbox.list().filter((m) => !to || m.To.some((t) => t.Address.toLowerCase() === to));
        return json(200, {
          total: all.length,
          messages: all.map(({ Text, HTML, ...summary }) => ({ ...summary, Snippet: Text.slice(0, 200) })),
        });
      }
      const one = /^\/api\/v1\/message\/([0-9a-f-]{36})$/.exec(url.pathname);
      if (req.method === 'GET' && one?.[1]) {
        const mail = mailbox.get(one[1]);
        return mail ? json(200, mail) : json(404, { error: 'message not found' });
      }
      if (req.method === 'DELETE' && url.pathname === '/api/v1/messages') {
        mailbox.clear();
        return json(200, {});
      }
      return json(404, { error: 'not found' });
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  return {
    url: () => `http://${host}:${actualPort}`,
    /** @returns {Promise<void>} */
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          if (typeof address === 'object' && address) actualPort = address.port;
          server.off('error', reject);
          resolve();
        });
      });
    },
    /** @returns {Promise<void>} */
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
