// Standard Webhooks (https://www.standardwebhooks.com): signing and verifying with
// WebCrypto only, so the same code runs in Deno (the Edge Function), Node (vitest, the
// `renubu ingest` sender) and the browser.
//
// The wire format:
//   webhook-id         a unique message id (the idempotency key)
//   webhook-timestamp  integer seconds since the epoch
//   webhook-signature  space-separated `v1,<base64 HMAC-SHA256>` entries
// signed content: `${id}.${timestamp}.${body}`; secret: `whsec_<base64 key bytes>`.

import { bytesEqual } from '../secret-equal.js';

export const SECRET_PREFIX = 'whsec_';
/** Messages older (or further in the future) than this are refused: a replay window. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Why a message was refused; the handler answers all of them with 401. A receiver with no
 * secret (an organisation that does not exist, or has none active) is a bad signature, in
 * the same time (verify): telling it apart would say which organisations exist.
 */
export type VerificationFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature';

export class WebhookVerificationError extends Error {
  constructor(readonly reason: VerificationFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

const encoder = new TextEncoder();

function base64ToBytes(value: string): Uint8Array<ArrayBuffer> {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = base64ToBytes(encoded);
  } catch {
    throw new Error('A webhook secret must be "whsec_" followed by base64.');
  }
  if (bytes.length < 16) throw new Error('A webhook secret must hold at least 16 bytes of key.');
  return bytes;
}

/** A fresh secret: 32 random bytes, `whsec_`-prefixed base64 (what the database also generates). */
export function generateSecret(): string {
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
}

// What a message is checked against when its receiver has no usable secret: a secret of this
// process that nobody knows, so such a message costs the signature a real receiver's costs
// and is refused as any bad signature is, never sooner.
const DECOY_SECRET = generateSecret();

// Imported keys are cached per secret: importKey is the expensive part of a verify.
const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secretKeyBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

async function signatureBytes(secret: string, id: string, timestamp: string, body: string): Promise<Uint8Array> {
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`));
  return new Uint8Array(mac);
}

/**
 * The signature a message must carry under one secret; a malformed secret (never stored by
 * the database, which generates them) gives the decoy's, which can match nothing (`real` false).
 */
async function expectedSignature(secret: string, id: string, timestamp: string, body: string): Promise<{ bytes: Uint8Array; real: boolean }> {
  try {
    return { bytes: await signatureBytes(secret, id, timestamp, body), real: true };
  } catch {
    return { bytes: await signatureBytes(DECOY_SECRET, id, timestamp, body), real: false };
  }
}

/** Compares two byte strings in constant time: the one comparison of secrets (../secret-equal.js). */
export { bytesEqual as timingSafeEqual };

/** `v1,<base64>`: the signature of one message under one secret. */
export async function sign(secret: string, id: string, timestamp: number | string, body: string): Promise<string> {
  return `v1,${bytesToBase64(await signatureBytes(secret, id, String(timestamp), body))}`;
}

/**
 * The three headers for a message. Pass several secrets to sign with each (a sender in the
 * middle of a rotation); `timestamp` defaults to now.
 */
export async function signedHeaders(
  secrets: string | string[],
  id: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Promise<WebhookHeaders> {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  const signatures = await Promise.all(list.map((s) => sign(s, id, timestamp, body)));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

type HeaderSource = Headers | Record<string, string | null | undefined>;
function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, string | null | undefined>;
  return record[name] ?? record[name.toLowerCase()] ?? null;
}

export interface VerifyOptions {
  /** Seconds of clock difference accepted in either direction (default 5 minutes). */
  toleranceSeconds?: number;
  /** The current time in seconds (tests freeze it). */
  nowSeconds?: number;
}

export interface VerifiedMessage {
  id: string;
  timestamp: number;
  /** Index into `secrets` of the secret that matched (which one a sender still uses). */
  secretIndex: number;
}

/**
 * Verifies a message against every active secret of the receiver (several during a
 * rotation). `body` must be the raw request body, exactly as received: re-serialised JSON
 * would not match. Throws WebhookVerificationError; never says which part was wrong beyond
 * its reason code.
 */
export async function verify(
  secrets: readonly string[],
  headers: HeaderSource,
  body: string,
  options: VerifyOptions = {},
): Promise<VerifiedMessage> {
  const id = header(headers, 'webhook-id');
  const timestampHeader = header(headers, 'webhook-timestamp');
  const signatureHeader = header(headers, 'webhook-signature');
  if (!id || !timestampHeader || !signatureHeader) {
    throw new WebhookVerificationError('missing_headers', 'The webhook-id, webhook-timestamp and webhook-signature headers are required.');
  }
  if (!/^\d{1,12}$/.test(timestampHeader)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp must be whole seconds since the epoch.');
  }
  const timestamp = Number(timestampHeader);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError('stale_timestamp', 'The message is too old: webhook-timestamp is more than 5 minutes in the past.');
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError('future_timestamp', 'webhook-timestamp is more than 5 minutes in the future.');
  }
  const offered: Uint8Array[] = [];
  for (const entry of signatureHeader.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    try {
      offered.push(base64ToBytes(entry.slice(comma + 1)));
    } catch {
      // Not base64: cannot match, ignore like any other unknown entry.
    }
  }

  // Every secret and every offered signature is compared in constant time, so the time taken
  // does not tell which secret (or which entry) matched. No secret at all (an unknown
  // receiver) and a malformed stored one are checked against the decoy instead, which can
  // match nothing: the same work as a real secret, and the same refusal.
  let matched = -1;
  const checked = secrets.length > 0 ? secrets : [DECOY_SECRET];
  for (let s = 0; s < checked.length; s++) {
    const expected = await expectedSignature(checked[s]!, id, timestampHeader, body);
    const real = secrets.length > 0 && expected.real;
    for (const candidate of offered) {
      if (bytesEqual(candidate, expected.bytes) && real && matched < 0) matched = s;
    }
  }
  if (matched < 0) {
    throw new WebhookVerificationError('bad_signature', 'The webhook signature does not match.');
  }
  return { id, timestamp, secretIndex: matched };
}
