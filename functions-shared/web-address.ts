// Whether model-written text holds a web address: the one rule for text a model writes from
// data others wrote (the daily brief's sentences, shown in the app and emailed, where a mail
// client turns a bare domain into a link). A denylist of a few endings (.com, .io…) let
// acme-billing.co, bit.ly/… and pay.nord.app through.

// Any scheme (https://, ftp://), and the ones that need no slashes (mailto:, javascript:, data:…).
const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\/|\b(?:mailto|javascript|data|vbscript|tel|sms):/i;
// A host name: labels of letters, digits and hyphens (any script) joined by dots (also the
// ideographic and full-width dots a browser reads as dots), ending in a label of 2+ letters.
// "e.g." and "72.5" are none; "Nord.Then" is taken for one, a sentence lost to the built-in
// wording rather than a link let through.
const HOST = /(?<![\p{L}\p{N}-])[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:[.\u3002\uFF0E\uFF61][\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*[.\u3002\uFF0E\uFF61]\p{L}{2,63}(?![\p{L}\p{N}-])/u;

/** Whether `text` holds a web address: a scheme, `www.`, or a host name (and so an email address). */
export function holdsWebAddress(text: string): boolean {
  return SCHEME.test(text) || /\bwww\./i.test(text) || HOST.test(text);
}
