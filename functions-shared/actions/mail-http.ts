// The HTTP mail API transport: how mail leaves a hosted Edge Function, where outbound
// SMTP (ports 25 and 587) is blocked. One JSON POST over HTTPS with an API key, in the
// shape the common providers share (Resend, and Postmark/SendGrid behind a small relay):
//
//   POST $MAIL_API_URL
//   Authorization: Bearer $MAIL_API_KEY
//   Idempotency-Key: <outbox id>          the provider drops a second send of the same mail
//   { "from", "to": [], "cc": [], "subject", "text", "html"?, "headers": { "Message-ID" } }
//   → 2xx { "id": "<provider message id>" }
//
// A 4xx other than 408/429 is the provider refusing this message (bad address, unverified
// sender): retrying will not help, so the error says so. Anything else is transient.
import { MailError, mailSenderFromEnv, type MailDelivery, type MailMessage, type MailTransport } from './mail.ts';
import { firstCharacters } from '../text.ts';

export interface HttpMailConfig {
  url: string;
  apiKey: string;
  from: string;
  timeoutMs: number;
}

export function httpMailConfigFromEnv(env: Record<string, string | undefined>): HttpMailConfig | null {
  if (!env.MAIL_API_URL) return null;
  return {
    url: env.MAIL_API_URL,
    // Missing, it fails each send with a readable error (recorded on the outbox row)
    // rather than the function's boot, so every other action keeps working.
    apiKey: env.MAIL_API_KEY ?? '',
    from: mailSenderFromEnv(env),
    timeoutMs: Number(env.MAIL_API_TIMEOUT_MS ?? 10_000),
  };
}

/** Whether a failed status is worth retrying (rate limits, timeouts, provider outages). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function httpMailTransport(config: HttpMailConfig, fetchImpl: typeof fetch = fetch): MailTransport {
  return {
    name: 'http',
    async send(message: MailMessage): Promise<MailDelivery> {
      if (!config.apiKey) throw new MailError('MAIL_API_URL is set but MAIL_API_KEY is not: set the mail API key as a secret.');
      const headers: Record<string, string> = {
        authorization: `Bearer ${config.apiKey}`,
        'content-type': 'application/json',
      };
      if (message.messageId) headers['idempotency-key'] = message.messageId;
      let response: Response;
      try {
        response = await fetchImpl(config.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            from: message.from || config.from,
            to: message.to,
            cc: message.cc ?? [],
            subject: message.subject,
            text: message.text,
            ...(message.html ? { html: message.html } : {}),
            ...(message.messageId ? { headers: { 'Message-ID': `<${message.messageId}>` } } : {}),
          }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        throw new MailError(timedOut
          ? `The mail API did not answer within ${config.timeoutMs} ms.`
          : 'The mail API could not be reached.');
      }
      const reply = await response.json().catch(() => null) as { id?: unknown; message?: unknown } | null;
      if (!response.ok) throw refusalOf(response.status, reply?.message);
      const id = typeof reply?.id === 'string' ? reply.id : message.messageId ?? null;
      return { status: 'sent', transport: 'http', providerMessageId: id };
    },
  };
}

/**
 * The error a failed send is recorded with: the status and what it means, never the provider's
 * words (docs/api-contract.md: no answer carries a provider's raw message). The error is stored
 * on the outbox row and shown to the CSM, and a provider's words can name its account, key or
 * domains; they go to the function's log instead, as SMTP's error carries only the reply code.
 */
function refusalOf(status: number, providerWords: unknown): MailError {
  if (typeof providerWords === 'string') console.warn(`mail API ${status}: ${firstCharacters(providerWords, 200)}`);
  return new MailError(isTransientStatus(status)
    ? `The mail API is unavailable (${status}); it will be retried.`
    : `The mail API refused the message (${status}): check the recipients' addresses and the sender's.`);
}
