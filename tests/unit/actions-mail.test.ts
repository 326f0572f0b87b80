// The mail transports: the SMTP client against a small fake SMTP server on a local port,
// the local sink, and the choice between them from the environment.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatMessage, MailError, mailSenderFromEnv, sinkTransport, smtpConfigFromEnv, smtpTransport } from '../../functions-shared/actions/mail.ts';
import { httpMailConfigFromEnv } from '../../functions-shared/actions/mail-http.ts';
import { mailTransportFromEnv } from '../../functions-shared/actions/transport.ts';

interface FakeServer {
  port: number;
  commands: string[];
  data: string[];
  close: () => Promise<void>;
}

/** Speaks just enough SMTP: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. `refuse` makes RCPT fail. */
function fakeSmtp(options: { refuseRecipient?: boolean } = {}): Promise<FakeServer> {
  const commands: string[] = [];
  const data: string[] = [];
  const server = net.createServer((socket) => {
    let inData = false;
    let buffer = '';
    socket.write('220 fake.smtp ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 Ok: queued as id=ABC123\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        commands.push(line);
        if (line.startsWith('EHLO')) socket.write('250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (line.startsWith('AUTH PLAIN')) socket.write('235 2.7.0 Authentication successful\r\n');
        else if (line.startsWith('MAIL FROM')) socket.write('250 2.1.0 Ok\r\n');
        else if (line.startsWith('RCPT TO')) socket.write(options.refuseRecipient ? '550 5.1.1 No such user\r\n' : '250 2.1.5 Ok\r\n');
        else if (line === 'DATA') { inData = true; socket.write('354 End data with <CR><LF>.<CR><LF>\r\n'); }
        else if (line === 'QUIT') { socket.write('221 2.0.0 Bye\r\n'); socket.end(); }
        else socket.write('502 5.5.2 Error: command not recognized\r\n');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, commands, data, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const message = { from: 'sam@acme.test', to: ['cfo@contoso.example'], cc: ['ae@acme.test'], subject: 'Renewal – next steps', text: 'Hello,\n.\nBye' };

describe('smtpTransport', () => {
  it('delivers a message: login, envelope for every recipient, the message, and the server id', async () => {
    server = await fakeSmtp();
    const transport = smtpTransport({ host: '127.0.0.1', port: server.port, secure: 'none', user: 'u', password: 'p', from: 'x@y', timeoutMs: 5000, heloName: 'test' });
    const delivery = await transport.send(message);
    expect(delivery).toEqual({ status: 'sent', transport: 'smtp', providerMessageId: 'ABC123' });
    expect(server.commands).toContain('MAIL FROM:<sam@acme.test>');
    expect(server.commands).toContain('RCPT TO:<cfo@contoso.example>');
    expect(server.commands).toContain('RCPT TO:<ae@acme.test>');
    expect(server.commands.some((c) => c.startsWith('AUTH PLAIN '))).toBe(true);
    expect(server.data[0]).toContain('Subject: =?UTF-8?B?');
    const body = server.data[0]!.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toBe('Hello,\n.\nBye');
  });

  it('fails with a readable error when the server refuses a recipient', async () => {
    server = await fakeSmtp({ refuseRecipient: true });
    const transport = smtpTransport({ host: '127.0.0.1', port: server.port, secure: 'none', from: 'x@y', timeoutMs: 5000, heloName: 'test' });
    await expect(transport.send(message)).rejects.toThrow(new MailError('The mail server refused the recipient cfo@contoso.example (550).'));
  });

  it('fails with a readable error when nothing listens', async () => {
    const probe = await fakeSmtp();
    const port = probe.port;
    await probe.close();
    const transport = smtpTransport({ host: '127.0.0.1', port, secure: 'none', from: 'x@y', timeoutMs: 5000, heloName: 'test' });
    await expect(transport.send(message)).rejects.toThrow(/could not be reached \(ECONNREFUSED\)/);
  });
});

describe('choosing a transport', () => {
  it('uses SMTP when SMTP_HOST is set, else the local sink', () => {
    expect(mailTransportFromEnv({}).name).toBe('sink');
    expect(mailTransportFromEnv({ SMTP_HOST: 'smtp.example' }).name).toBe('smtp');
    // The HTTP mail API wins where both are set: hosted functions cannot reach SMTP ports.
    expect(mailTransportFromEnv({ SMTP_HOST: 'smtp.example', MAIL_API_URL: 'https://api.mail.test/emails', MAIL_API_KEY: 'k' }).name).toBe('http');
  });
  it('one sender for every transport: MAIL_FROM, else SMTP_FROM, else renubu@localhost; empty counts as unset', () => {
    expect(mailSenderFromEnv({ MAIL_FROM: 'a@co.test', SMTP_FROM: 'b@co.test' })).toBe('a@co.test');
    expect(mailSenderFromEnv({ MAIL_FROM: '', SMTP_FROM: 'b@co.test' })).toBe('b@co.test');
    expect(mailSenderFromEnv({ SMTP_FROM: '' })).toBe('renubu@localhost');
    // The SMTP and HTTP transports take the same sender from the same environment.
    const env = { MAIL_FROM: 'a@co.test', SMTP_HOST: 'smtp.example', MAIL_API_URL: 'https://api.mail.test/emails' };
    expect(smtpConfigFromEnv(env)?.from).toBe('a@co.test');
    expect(httpMailConfigFromEnv(env)?.from).toBe('a@co.test');
  });
  it('the sink reports delivered_to_sink', async () => {
    await expect(sinkTransport.send({ ...message, messageId: 'm1@renubu' })).resolves.toEqual({
      status: 'delivered_to_sink', transport: 'sink', providerMessageId: 'm1@renubu',
    });
  });
  it('formats a multipart message when there is HTML', () => {
    const text = formatMessage({ ...message, html: '<p>Hello</p>' });
    expect(text).toMatch(/Content-Type: multipart\/alternative; boundary="renubu-/);
    expect(text).toContain('Content-Type: text/html; charset=utf-8');
  });
});
