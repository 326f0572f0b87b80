// A real SMTP server for tests: it speaks enough of RFC 5321 for our client (220, EHLO or
// HELO, MAIL FROM, RCPT TO, DATA, QUIT), keeps every message it accepted, and can be slow
// (`delayBeforeAcceptMs`: the wait before it answers 250 to a message's DATA, which is
// when a real server would have taken responsibility for it).
import net from 'node:net';

export interface SunkMessage {
  from: string;
  to: string[];
  data: string;
  messageId: string | null;
}

export interface SmtpSink {
  port: number;
  messages: SunkMessage[];
  close(): Promise<void>;
}

export async function startSmtpSink(options: { delayBeforeAcceptMs?: number } = {}): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current: SunkMessage = { from: '', to: [], data: '', messageId: null };
    const reply = (line: string) => { if (!socket.destroyed) socket.write(`${line}\r\n`); };
    reply('220 sink.test ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line !== '.') { current.data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`; continue; }
          inData = false;
          const accepted = { ...current, messageId: /^Message-ID: <([^>]+)>/im.exec(current.data)?.[1] ?? null };
          current = { from: '', to: [], data: '', messageId: null };
          setTimeout(() => {
            if (socket.destroyed) return; // the client gave up before the server took it
            messages.push(accepted);
            reply(`250 OK id=sink-${messages.length}`);
          }, options.delayBeforeAcceptMs ?? 0);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink.test\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 sink.test');
        else if (verb === 'MAIL') { current.from = /<([^>]*)>/.exec(line)?.[1] ?? ''; reply('250 OK'); }
        else if (verb === 'RCPT') { current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''); reply('250 OK'); }
        else if (verb === 'DATA') { inData = true; reply('354 End data with <CR><LF>.<CR><LF>'); }
        else if (verb === 'RSET') { current = { from: '', to: [], data: '', messageId: null }; reply('250 OK'); }
        else if (verb === 'NOOP') reply('250 OK');
        else if (verb === 'QUIT') { reply('221 Bye'); socket.end(); }
        else reply('502 Command not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    messages,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
