// POST /functions/v1/mcp — wiring only; the server is functions-shared/mcp/handler.ts.
import { envFrom } from '../../../functions-shared/http.ts';
import { handleMcp } from '../../../functions-shared/mcp/handler.ts';

const env = envFrom(Deno.env.toObject());
Deno.serve((req) => handleMcp(req, env));
