// Signed webhooks from external systems (Standard Webhooks). Wiring only: the handler is
// functions-shared/ingest/handler.ts. No JWT (config.toml `verify_jwt = false`): the
// signature under the organisation's secret is the authentication.
import { envFrom } from '../../../functions-shared/http.ts';
import { depsFromEnv, handleIngest } from '../../../functions-shared/ingest/handler.ts';

const deps = depsFromEnv(envFrom(Deno.env.toObject()));

Deno.serve((req) => handleIngest(req, deps));
