// @ts-check
// Auth's mail templates as hosted GoTrue renders them, for the local stand-in: the subject
// and the HTML file `supabase/config.toml` names under `[auth.email.template.<type>]`, with
// GoTrue's variables [AUTH internal/mailer/template.go]: {{ .ConfirmationURL }}, {{ .Token }},
// {{ .TokenHash }}, {{ .SiteURL }}, {{ .RedirectTo }}, {{ .Email }} and {{ .Data.<key> }} (the
// user's metadata). Only these plain substitutions are understood (no if/with/range): a
// template using more is refused when it is read, rather than mailed half-rendered. As in
// Go's html/template, a value is HTML-escaped in the body and a missing one is empty.
import { readFileSync } from 'node:fs';
import { escapeHtml } from '../mail-catcher.mjs';

const VARIABLE = /\{\{\s*\.([A-Za-z]+)(?:\.([A-Za-z0-9_]+))?\s*\}\}/g;

/**
 * @typedef {{ ConfirmationURL: string, Token: string, TokenHash: string, SiteURL: string,
 *   RedirectTo: string, Email: string, Data: Record<string, unknown> | null }} MailVariables
 */

/**
 * Fills a template's variables; throws on any other `{{ … }}`.
 * @param {string} template @param {MailVariables} vars @param {boolean} html
 */
export function renderMailTemplate(template, vars, html) {
  const filled = template.replace(VARIABLE, (_all, name, key) => {
    /** @type {unknown} */
    const value = key === undefined ? vars[/** @type {keyof MailVariables} */ (name)]
      : name === 'Data' ? vars.Data?.[key] : undefined;
    const text = value === undefined || value === null || typeof value === 'object' ? '' : String(value);
    return html ? escapeHtml(text) : text;
  });
  const unknown = /\{\{[^}]*\}\}/.exec(filled);
  if (unknown) throw new Error(`The local Auth stand-in cannot render ${unknown[0]} in a mail template (only GoTrue's plain variables)`);
  return filled;
}

/**
 * The mail's plain text, read from its HTML: a link becomes "label: address" (so the mail
 * catcher lists it), a paragraph or heading a line, entities decoded.
 * @param {string} html
 */
export function mailTextOf(html) {
  return html
    .replace(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2: $1')
    .replace(/<br\s*\/?>|<\/(p|h[1-6]|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_all, code) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .split('\n').map((line) => line.trim()).filter(Boolean).join('\n\n');
}

/**
 * A configured template's mail, or null when none is configured (the caller's default then);
 * without a subject, GoTrue's default for the type.
 * @param {{ subject?: string, contentPath?: string }} template @param {MailVariables} vars @param {string} defaultSubject
 * @returns {{ subject: string, html: string, text: string } | null}
 */
export function templatedMail(template, vars, defaultSubject) {
  if (!template.contentPath) return null;
  const html = renderMailTemplate(readFileSync(template.contentPath, 'utf8'), vars, true);
  return { subject: renderMailTemplate(template.subject ?? defaultSubject, vars, false), html, text: mailTextOf(html) };
}
