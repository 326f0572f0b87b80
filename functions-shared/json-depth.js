// @ts-self-types="./json-depth.d.ts"
// How deep a JSON text nests, checked before anything parses it. Plain JavaScript so that
// both runtimes load the one definition: the Edge Functions (Deno) and the local gateway
// (Node, which cannot import TypeScript).
//
// Why a limit at all: Postgres' JSON parser runs out of stack near 10 000 levels (a 500
// with a server hint), and JSON.stringify in supabase-js recurses too. No argument of the
// API nests beyond a handful of levels.

export const MAX_JSON_DEPTH = 128;

/**
 * Whether `text` nests arrays/objects deeper than `max`: one pass, skipping strings.
 * @param {string} text
 * @param {number} [max]
 * @returns {boolean}
 */
export function jsonTooDeep(text, max = MAX_JSON_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i += 1; // a backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth += 1;
      if (depth > max) return true;
    } else if (ch === 93 || ch === 125) depth -= 1;
  }
  return false;
}
