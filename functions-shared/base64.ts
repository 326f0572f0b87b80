// Base64 of a text's UTF-8: what a mail body or an encoded-word subject carries (actions/mail.ts)
// and what a header that must be ASCII carries for any name (mcp/attestation.ts).

/** Base64 of the text's UTF-8, built a slice at a time: spreading every byte of a body into one call overflows the stack past ~150 KB. */
export function base64OfUtf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
