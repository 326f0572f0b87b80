// @ts-self-types="./receiver-path.d.ts"
// Which organisation an ingest address names: the last segment after `ingest/`. Plain
// JavaScript so both runtimes load the one definition: the ingest Edge Function (Deno),
// which answers the address, and `renubu ingest` (Node), which reads the organisation out
// of a --url before it signs and sends.

/**
 * `/functions/v1/ingest/acme` (gateway, hosted) or `/ingest/acme` (edge runtime) → `acme`;
 * null when the address names no organisation.
 * @param {string} url
 * @returns {string | null}
 */
export function organisationFromPath(url) {
  const { pathname } = new URL(url);
  const match = /(?:^|\/)ingest\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  return slugOf(match[1] ?? '');
}

/**
 * The organisation a path segment names, decoded: null when it names none, a malformed escape
 * (`%ZZ`, a cut `%E0%A4%A`) included, which decodeURIComponent throws on (a 500 before).
 * @param {string} segment
 * @returns {string | null}
 */
function slugOf(segment) {
  let org;
  try {
    org = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return /^[A-Za-z0-9-]{1,100}$/.test(org) ? org : null;
}
