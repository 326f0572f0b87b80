// @ts-check
// The `--flag value` arguments of a `renubu` verb (org create, token), read one way.

/**
 * `--flag value` pairs of argv; a flag without a value (or followed by another flag) is left out.
 * @param {string[]} argv
 * @returns {Record<string, string>}
 */
export function flags(argv) {
  /** @type {Record<string, string>} */
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z-]+)$/.exec(argv[i] ?? '');
    const value = argv[i + 1];
    if (match?.[1] && value !== undefined && !value.startsWith('--')) {
      out[match[1]] = value;
      i += 1;
    }
  }
  return out;
}
