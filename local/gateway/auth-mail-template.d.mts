/** Auth's mail templates as hosted GoTrue renders them, for the local stand-in (local/gateway/auth-mail-template.mjs). */
export interface MailVariables {
  ConfirmationURL: string; Token: string; TokenHash: string; SiteURL: string; RedirectTo: string; Email: string;
  Data: Record<string, unknown> | null;
}
export function renderMailTemplate(template: string, vars: MailVariables, html: boolean): string;
export function mailTextOf(html: string): string;
export function templatedMail(template: { subject?: string; contentPath?: string }, vars: MailVariables, defaultSubject: string):
  { subject: string; html: string; text: string } | null;
