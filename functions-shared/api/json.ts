// JSON values as the database stores them (jsonb): what a free-form field such as an
// action's params, an artifact's content or a step's outcome may hold.
import { z } from 'zod';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);
export const JsonObject = z.record(z.string(), JsonValue);
/**
 * A jsonb argument: any object; the RPC checks it key by key (22023 names the bad key), so
 * callers may pass their own typed objects without restating them as JSON.
 */
export const JsonArg = z.record(z.string(), z.unknown());
