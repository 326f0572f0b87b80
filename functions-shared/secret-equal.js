// @ts-self-types="./secret-equal.d.ts"
// The one comparison of a secret with what a request sent: a key, a signature, an HMAC.
// Plain JavaScript so that both runtimes load the one definition: the Edge Functions (Deno)
// and the local gateway (Node, which cannot import TypeScript).
//
// Why not `===`: a string comparison stops at the first byte that differs, so how long a
// wrong guess takes to be refused tells a caller how much of it was right, and a secret can
// be guessed a byte at a time. These take a time that depends only on the length of what
// was sent, never on where it differs from the secret, nor on the secret's length.

/**
 * Whether `given` (what a request sent) holds exactly the bytes of `known` (the secret).
 * @param {Uint8Array} given
 * @param {Uint8Array} known
 * @returns {boolean}
 */
export function bytesEqual(given, known) {
  let diff = given.length ^ known.length;
  // Every byte sent is compared, with the secret's bytes in turn (none when it is empty),
  // so a sent value of the wrong length costs as much as one of the right length.
  for (let i = 0; i < given.length; i++) {
    diff |= (given[i] ?? 0) ^ (known[i % known.length] ?? 0);
  }
  return diff === 0;
}

const utf8 = new TextEncoder();

/**
 * Whether the text a request sent is the secret. A missing secret (not configured) matches
 * nothing, an empty one included.
 * @param {string | null | undefined} given
 * @param {string | null | undefined} known
 * @returns {boolean}
 */
export function secretsEqual(given, known) {
  if (typeof given !== 'string' || typeof known !== 'string' || known === '') return false;
  return bytesEqual(utf8.encode(given), utf8.encode(known));
}
