// The one rule for a tool call's arguments, whoever calls: the chat assistant's model (its
// tools' JSON Schema, app.assistant_tools(), recorded with each thread) or an MCP agent (each
// tool's zod shape, functions-shared/mcp/tools.ts). An argument the tool does not take is
// refused naming it (zod's `Unrecognized key: "assigned_to"`), never dropped, as every Edge
// Function's body is (docs/api-contract.md): a misspelt idempotency key must not make a second
// task on a retry, and an assignee the caller believes it set must not be left out in silence.
// Only the top level is closed: `propose_action`'s `params` are the action's own, checked by
// the action (propose_action in SQL).
// The refusal quotes each unknown key in its first 60 characters (unrecognizedKeysMessage), as
// a function's body refusal does: zod's own words repeated a 1 MB key whole.
import { z } from 'zod';
import { unrecognizedKeysMessage } from './text.ts';

/** `schema` with its top-level object closed to keys it does not name (anything else as it is). */
export function strictToolInput<T extends z.ZodType>(schema: T): T {
  if (!(schema instanceof z.ZodObject)) return schema;
  return z.strictObject(schema.shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unrecognizedKeysMessage(issue.keys) : undefined),
  }) as unknown as T;
}
