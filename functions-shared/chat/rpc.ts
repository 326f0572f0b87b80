// One typed way to call an RPC as the caller: errors become HttpErrors with the house
// body (never SQL text), results come back with the type the caller names.
import type { SupabaseClient } from '@supabase/supabase-js';
import { fromDatabaseError } from '../http.ts';

export async function rpc<T>(db: SupabaseClient, name: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await db.rpc(name, args);
  if (error) throw fromDatabaseError(error);
  return data as T;
}
