// The error recorded on an email that could not be sent, and answered to the person who sent
// it (execute-action's side_effects, the Sent mail page), names no mail server: its host and
// port are the operator's, often an internal name, and go to the function's log. Before,
// "The mail server smtp.internal.example:587 could not be reached (ECONNREFUSED)." reached
// every CSM whose email failed.
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { MailError, smtpTransport } from '../../functions-shared/actions/mail.ts';

/** A port on this machine that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a mail server that cannot be reached', () => {
  it('is said without its host or port, which go to the log', async () => {
    const port = await closedPort();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const transport = smtpTransport({ host: 'localhost', port, secure: 'none', from: 'x@y', timeoutMs: 5000, heloName: 'test' });
      const failure = await transport.send({ from: 'x@y', to: ['cfo@contoso.example'], subject: 'Hi', text: 'Hello' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MailError);
      expect((failure as MailError).message).toBe('The mail server could not be reached (ECONNREFUSED).');
      expect((failure as MailError).message).not.toContain(String(port));
      expect(warn.mock.calls.flat().join(' ')).toContain(`localhost:${port}`);
    } finally {
      warn.mockRestore();
    }
  });
});
