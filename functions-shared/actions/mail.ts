// Mail transports for the `send_email` side effect.
//
// - SMTP (when SMTP_HOST is set): a small RFC 5321 client on node:net / node:tls, which
//   Deno and Node both provide: EHLO, STARTTLS when offered (or implicit TLS on 465 /
//   SMTP_SECURE=tls), AUTH PLAIN when SMTP_USER is set, MAIL FROM, RCPT TO, DATA, QUIT.
// - The local mail sink (otherwise): delivers nowhere; the message stays in the
//   database outbox with status `delivered_to_sink`, where the web app and tests read it.
// A transport throws MailError with a readable message; the caller records it on the
// side effect and the outbox row, and a retry sends again.
import net from 'node:net';
import tls from 'node:tls';
import { base64OfUtf8 } from '../base64.ts';

export interface MailMessage {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string | null;
  messageId?: string;
}

export interface MailDelivery {
  status: 'sent' | 'delivered_to_sink';
  transport: 'smtp' | 'sink' | string;
  providerMessageId: string | null;
}

export interface MailTransport {
  readonly name: string;
  send(message: MailMessage): Promise<MailDelivery>;
}

export class MailError extends Error {}

/**
 * The address mail goes out from when a message names none (its requester has no address
 * left): MAIL_FROM, else SMTP_FROM, else renubu@localhost; an empty value counts as unset.
 * One rule for every transport and every sender (execute-action, the outbox drain,
 * invite-person), so a hosted deploy that sets MAIL_FROM (docs/deploy.md) is obeyed by all.
 */
export function mailSenderFromEnv(env: Record<string, string | undefined>): string {
  return env.MAIL_FROM || env.SMTP_FROM || 'renubu@localhost';
}

export const sinkTransport: MailTransport = {
  name: 'sink',
  send(message) {
    return Promise.resolve({ status: 'delivered_to_sink', transport: 'sink', providerMessageId: message.messageId ?? null });
  },
};

export interface SmtpConfig {
  host: string;
  port: number;
  secure: 'tls' | 'starttls' | 'none';
  user?: string;
  password?: string;
  from: string;
  timeoutMs: number;
  heloName: string;
}

export function smtpConfigFromEnv(env: Record<string, string | undefined>): SmtpConfig | null {
  if (!env.SMTP_HOST) return null;
  const port = Number(env.SMTP_PORT ?? 587);
  const secure = (env.SMTP_SECURE as SmtpConfig['secure'] | undefined) ?? (port === 465 ? 'tls' : 'starttls');
  return {
    host: env.SMTP_HOST,
    port,
    secure,
    user: env.SMTP_USER || undefined,
    password: env.SMTP_PASSWORD || undefined,
    from: mailSenderFromEnv(env),
    timeoutMs: Number(env.SMTP_TIMEOUT_MS ?? 10_000),
    heloName: env.SMTP_HELO ?? 'renubu.local',
  };
}

// RFC 5322 holds a header line to 998 characters and RFC 2047 an encoded word to 75; a
// server may refuse a message past either (a draft's subject is not bounded: 5 000
// characters, or 300 outside ASCII, made one line of 5 000 or 1 200). A subject that would
// not fit is written as encoded words of at most 45 bytes of UTF-8 (72 characters each),
// never split inside a character, on folded lines; a long recipient list folds after commas.
const MAX_HEADER_LINE = 998;
const ENCODED_WORD_BYTES = 45;

/** `Subject: …` as it goes on the wire: as typed when it is printable ASCII that fits one line, else folded encoded words. */
function subjectHeader(subject: string): string {
  const line = `Subject: ${subject}`;
  // deno-lint-ignore no-control-regex
  if (/^[\x20-\x7e]*$/.test(subject) && line.length <= MAX_HEADER_LINE) return line;
  const words: string[] = [];
  let word = '';
  let bytes = 0;
  for (const character of subject) {
    const size = new TextEncoder().encode(character).length;
    if (bytes + size > ENCODED_WORD_BYTES && word !== '') {
      words.push(word);
      word = '';
      bytes = 0;
    }
    word += character;
    bytes += size;
  }
  if (word !== '' || words.length === 0) words.push(word);
  return `Subject: ${words.map((w) => `=?UTF-8?B?${base64OfUtf8(w)}?=`).join('\r\n ')}`;
}

/** `To: a, b` on one line when it fits, else one address a line (folded after each comma). */
function addressHeader(name: string, addresses: string[]): string {
  const line = `${name}: ${addresses.join(', ')}`;
  return line.length <= MAX_HEADER_LINE ? line : `${name}: ${addresses.join(',\r\n ')}`;
}

function base64Lines(text: string): string {
  const encoded = base64OfUtf8(text);
  return encoded.replace(/.{1,76}/g, '$&\r\n');
}

/** The RFC 5322 message: plain text (and HTML when given), base64 bodies (no dot-stuffing needed). */
export function formatMessage(message: MailMessage, date = new Date()): string {
  const headers = [
    `From: ${message.from}`,
    addressHeader('To', message.to),
    ...(message.cc?.length ? [addressHeader('Cc', message.cc)] : []),
    subjectHeader(message.subject),
    `Date: ${date.toUTCString()}`,
    ...(message.messageId ? [`Message-ID: <${message.messageId}>`] : []),
    'MIME-Version: 1.0',
  ];
  if (!message.html) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(message.text)].join('\r\n');
  }
  const boundary = `renubu-${crypto.randomUUID()}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Reads SMTP replies ("250-..." continuation lines, then "250 ..."). */
class ReplyReader {
  private buffer = '';
  private waiting: Array<(reply: { code: number; text: string }) => void> = [];
  private failure: Error | null = null;
  private failed: Array<(error: Error) => void> = [];

  feed(chunk: string) {
    this.buffer += chunk;
    for (;;) {
      const lines = this.buffer.split('\r\n');
      const endIndex = lines.findIndex((l) => /^\d{3}(?: |$)/.test(l));
      if (endIndex < 0) return;
      const replyLines = lines.slice(0, endIndex + 1);
      this.buffer = lines.slice(endIndex + 1).join('\r\n');
      const code = Number((replyLines[endIndex] ?? "").slice(0, 3));
      const resolve = this.waiting.shift();
      this.failed.shift();
      resolve?.({ code, text: replyLines.map((l) => l.slice(4)).join('\n') });
    }
  }

  fail(error: Error) {
    this.failure = error;
    for (const reject of this.failed.splice(0)) reject(error);
    this.waiting = [];
  }

  next(): Promise<{ code: number; text: string }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.failed.push(reject);
    });
  }
}

export function smtpTransport(config: SmtpConfig): MailTransport {
  return {
    name: 'smtp',
    async send(message) {
      let socket: net.Socket | tls.TLSSocket;
      const reader = new ReplyReader();
      const attach = (s: net.Socket | tls.TLSSocket) => {
        s.setEncoding('utf8');
        s.on('data', (chunk: string) => reader.feed(chunk));
        s.on('error', (error: Error & { code?: string }) => {
          // The server's address is the operator's (often an internal host): it goes to the
          // log, never into the error recorded on the email and answered to the person.
          console.warn(`mail: ${config.host}:${config.port} could not be reached (${error.code ?? error.message})`);
          reader.fail(new MailError(`The mail server could not be reached (${error.code ?? 'connection error'}).`));
        });
        s.on('close', () => reader.fail(new MailError('The mail server closed the connection.')));
        s.setTimeout(config.timeoutMs, () => {
          reader.fail(new MailError(`The mail server did not answer within ${config.timeoutMs} ms.`));
          s.destroy();
        });
      };
      socket = config.secure === 'tls'
        ? tls.connect({ host: config.host, port: config.port, servername: config.host })
        : net.connect({ host: config.host, port: config.port });
      attach(socket);

      const expect = async (codes: number[], what: string) => {
        const reply = await reader.next();
        if (!codes.includes(reply.code)) {
          throw new MailError(`The mail server refused ${what} (${reply.code}).`);
        }
        return reply;
      };
      const command = async (line: string, codes: number[], what: string) => {
        socket.write(`${line}\r\n`);
        return expect(codes, what);
      };

      try {
        await expect([220], 'the connection');
        let ehlo = await command(`EHLO ${config.heloName}`, [250], 'EHLO');
        if (config.secure === 'starttls' && /(^|\n)STARTTLS/i.test(ehlo.text)) {
          await command('STARTTLS', [220], 'STARTTLS');
          socket.removeAllListeners('data');
          socket.removeAllListeners('close');
          socket.removeAllListeners('error');
          socket.setTimeout(0);
          socket = tls.connect({ socket, servername: config.host });
          attach(socket);
          ehlo = await command(`EHLO ${config.heloName}`, [250], 'EHLO');
        }
        if (config.user) {
          const token = btoa(`\u0000${config.user}\u0000${config.password ?? ''}`);
          await command(`AUTH PLAIN ${token}`, [235], 'the login');
        }
        await command(`MAIL FROM:<${message.from}>`, [250], 'the sender');
        for (const rcpt of [...message.to, ...(message.cc ?? [])]) {
          await command(`RCPT TO:<${rcpt}>`, [250, 251], `the recipient ${rcpt}`);
        }
        await command('DATA', [354], 'DATA');
        const body = formatMessage(message).replace(/\r\n\./g, '\r\n..');
        const accepted = await command(`${body}\r\n.`, [250], 'the message');
        socket.write('QUIT\r\n');
        const id = /id[=: ]+(\S+)/i.exec(accepted.text)?.[1] ?? message.messageId ?? null;
        return { status: 'sent', transport: 'smtp', providerMessageId: id };
      } catch (error) {
        if (error instanceof MailError) throw error;
        throw new MailError('Sending the email failed.');
      } finally {
        socket.removeAllListeners('close');
        socket.end();
        socket.destroy();
      }
    },
  };
}
