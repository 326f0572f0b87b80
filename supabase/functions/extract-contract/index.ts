// POST /functions/v1/extract-contract — wiring only; the logic is functions-shared/contracts/handler.ts.
import { extractContractDepsFromEnv, handleExtractContract } from '../../../functions-shared/contracts/handler.ts';

const deps = extractContractDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleExtractContract(req, deps));
