// Which mail transport `send_email` uses, from the function's environment:
//   MAIL_API_URL + MAIL_API_KEY  → the HTTP mail API (hosted Edge Functions: outbound SMTP
//                                  ports 25 and 587 are blocked there)
//   SMTP_HOST                    → SMTP (local, self-hosted)
//   neither                      → the local mail sink (the outbox row is the delivery)
import { httpMailConfigFromEnv, httpMailTransport } from './mail-http.ts';
import { sinkTransport, smtpConfigFromEnv, smtpTransport, type MailTransport } from './mail.ts';

export function mailTransportFromEnv(env: Record<string, string | undefined>): MailTransport {
  const api = httpMailConfigFromEnv(env);
  if (api) return httpMailTransport(api);
  const smtp = smtpConfigFromEnv(env);
  return smtp ? smtpTransport(smtp) : sinkTransport;
}
