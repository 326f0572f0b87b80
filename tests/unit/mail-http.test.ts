// The HTTP mail API transport against a small fake mail API on a local port: what it
// posts, how it authenticates, and how refusals and outages read.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpMailConfigFromEnv, httpMailTransport, isTransientStatus } from '../../functions-shared/actions/mail-http.ts';
import { MailError } from '../../functions-shared/actions/mail.ts';

interface Received { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }
interface FakeApi { url: string; received: Received[]; close: () => Promise<void> }

/** Answers every POST with `status` and `reply` after `delayMs`, recording what came in. */
function fakeMailApi(status = 200, reply: unknown = { id: 'msg_123' }, delayMs = 0): Promise<FakeApi> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      }, delayMs);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({
      url: `http://127.0.0.1:${port}/emails`,
      received,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
    });
  }));
}

const message = {
  from: 'csm@acme.test',
  to: ['buyer@customer.test'],
  cc: ['cfo@customer.test'],
  subject: 'Renewal terms',
  text: 'Hello',
  html: '<p>Hello</p>',
  messageId: 'outbox-1@renubu',
};

let api: FakeApi | null = null;
afterEach(async () => { await api?.close(); api = null; });

describe('HTTP mail API transport', () => {
  it('posts the message as JSON with the API key and the outbox id as idempotency key', async () => {
    api = await fakeMailApi();
    const transport = httpMailTransport({ url: api.url, apiKey: 're_key', from: 'x@y.test', timeoutMs: 2000 });
    const delivery = await transport.send(message);
    expect(delivery).toEqual({ status: 'sent', transport: 'http', providerMessageId: 'msg_123' });
    expect(api.received).toHaveLength(1);
    const { headers, body } = api.received[0]!;
    expect(headers.authorization).toBe('Bearer re_key');
    expect(headers['idempotency-key']).toBe('outbox-1@renubu');
    expect(body).toEqual({
      from: 'csm@acme.test',
      to: ['buyer@customer.test'],
      cc: ['cfo@customer.test'],
      subject: 'Renewal terms',
      text: 'Hello',
      html: '<p>Hello</p>',
      headers: { 'Message-ID': '<outbox-1@renubu>' },
    });
  });

  it('says a refusal is final and an outage will be retried', async () => {
    api = await fakeMailApi(422, { message: 'The to address is invalid' });
    const refusing = httpMailTransport({ url: api.url, apiKey: 'k', from: 'x@y.test', timeoutMs: 2000 });
    await expect(refusing.send(message)).rejects.toThrow(/refused the message \(422\)/);
    await api.close();

    api = await fakeMailApi(503, {});
    const down = httpMailTransport({ url: api.url, apiKey: 'k', from: 'x@y.test', timeoutMs: 2000 });
    await expect(down.send(message)).rejects.toThrow(/unavailable \(503\).*retried/);
    expect(isTransientStatus(429)).toBe(true);
    expect(isTransientStatus(400)).toBe(false);
  });

  // The error is stored on the outbox row and shown to the CSM (execute-action's side effects,
  // the drain's answer, the Sent mail page): the provider's own words are never in it
  // (docs/api-contract.md), as SMTP's error carries only the server's reply code.
  it('never repeats the provider\'s words: its status only, the words in the log', async () => {
    const words = 'Domain acme.test is not verified for API key re_live_9f3c; see https://mail.example/domains';
    for (const status of [403, 503]) {
      api = await fakeMailApi(status, { message: words, name: 'validation_error' });
      const transport = httpMailTransport({ url: api.url, apiKey: 'k', from: 'x@y.test', timeoutMs: 2000 });
      const error = await transport.send(message).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailError);
      expect((error as Error).message).toContain(`(${status})`);
      expect((error as Error).message).not.toMatch(/verified|re_live|mail\.example/);
      await api.close();
      api = null;
    }
  });

  it('gives up after its timeout with a MailError, never hanging the request', async () => {
    api = await fakeMailApi(200, { id: 'late' }, 1500);
    const slow = httpMailTransport({ url: api.url, apiKey: 'k', from: 'x@y.test', timeoutMs: 200 });
    const error = await slow.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as Error).message).toMatch(/did not answer within 200 ms/);
  });

  it('is configured from MAIL_API_URL, and without a key each send fails with a readable error', async () => {
    expect(httpMailConfigFromEnv({})).toBeNull();
    const keyless = httpMailConfigFromEnv({ MAIL_API_URL: 'https://api.mail.test/emails' })!;
    await expect(httpMailTransport(keyless).send(message)).rejects.toThrow(/MAIL_API_KEY is not/);
    expect(httpMailConfigFromEnv({ MAIL_API_URL: 'https://api.mail.test/emails', MAIL_API_KEY: 'k', MAIL_FROM: 'a@b.test' }))
      .toEqual({ url: 'https://api.mail.test/emails', apiKey: 'k', from: 'a@b.test', timeoutMs: 10_000 });
  });
});
