// @ts-check
// Auth's rate limits, read from `[auth.rate_limit]` in supabase/config.toml the way the
// Supabase CLI hands them to GoTrue: each is a number of requests per client address per
// 5 minutes (`sign_in_sign_ups`, `token_refresh`, `token_verifications`). Past it, GoTrue answers 429
// `over_request_rate_limit` (docs/supabase-protocol.md §3).
import { existsSync, readFileSync } from 'node:fs';

export const RATE_LIMIT_WINDOW_MS = 5 * 60 * 1000;
// Supabase's defaults when config.toml says nothing.
const DEFAULT_LIMITS = { sign_in_sign_ups: 30, token_refresh: 150, token_verifications: 30 };

/**
 * The integer keys of `[auth.rate_limit]`, over Supabase's defaults.
 * @param {string} configTomlPath
 * @returns {{ sign_in_sign_ups: number, token_refresh: number, token_verifications: number }}
 */
export function readAuthRateLimits(configTomlPath) {
  const limits = { ...DEFAULT_LIMITS };
  if (!existsSync(configTomlPath)) return limits;
  let inTable = false;
  for (const rawLine of readFileSync(configTomlPath, 'utf8').split('\n')) {
    const line = rawLine.replace(/\s*#.*$/, '').trim();
    if (line.startsWith('[')) {
      inTable = /^\[\s*auth\.rate_limit\s*\]$/.test(line);
      continue;
    }
    const kv = inTable ? /^(sign_in_sign_ups|token_refresh|token_verifications)\s*=\s*(\d+)$/.exec(line) : null;
    if (kv) limits[/** @type {'sign_in_sign_ups' | 'token_refresh' | 'token_verifications'} */ (kv[1])] = Number(kv[2]);
  }
  return limits;
}

/**
 * A token bucket per key (the client address): `limit` requests, refilled evenly over
 * `windowMs`. Memory stays bounded: a full bucket is forgotten.
 * @param {{ limit: number, windowMs?: number, now?: () => number }} options
 */
export function createRateLimiter({ limit, windowMs = RATE_LIMIT_WINDOW_MS, now = Date.now }) {
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  const perMs = limit / windowMs;
  let sweepAt = now() + windowMs;

  /** @param {number} t now, in ms */
  function sweep(t) {
    for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= limit) buckets.delete(key);
    sweepAt = t + windowMs;
  }

  return {
    /** Takes one request from `key`'s bucket; false when it is empty. @param {string} key */
    take(key) {
      const t = now();
      if (t >= sweepAt) sweep(t);
      const b = buckets.get(key) ?? { tokens: limit, at: t };
      b.tokens = Math.min(limit, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
