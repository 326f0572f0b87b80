// The `extract-contract` Edge Function: a pure (Request, deps) handler.
//
// 0. check_contract_extraction, with the caller's token: may they extract this customer's
//    contract at all (a viewer may read it, not extract it)? Asked before the document is read
//    or the model runs, so a refusal costs no model call.
// 1. The caller's own token downloads the document from the `contracts` bucket, so
//    Storage's row-level security decides whether they may read it at all (another
//    organisation's document is simply not found).
// 2. Its text, page by page (PDF through unpdf, or plain text).
// 3. The extractor proposes each field with value, verbatim quote, page and confidence:
//    Ollama with a JSON-schema `format`, or the built-in pattern model offline.
// 4. record_contract_extraction (service role only) stores the text and the proposals,
//    discarding any proposal whose quote is not in the text, and indexes the text into the
//    customer's history. It re-checks that the person may extract this customer's contract.
// 5. The answer is what was stored: {extraction_id, fields[], ...}. Nothing has changed on
//    the contract: a person confirms field by field (confirm_contract_fields).
import type { SupabaseClient } from '@supabase/supabase-js';
import { verifiedCallerId } from '../caller.ts';
import { answer, callerClient, envFrom, fromDatabaseError, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { ExtractContractRequestBody } from '../api/functions.ts';
import { rpc } from '../api/rpc.ts';
import { callerRefusal } from '../caller-profile.ts';
import { isStorageNameSegment, type ProposedField } from './fields.ts';
import { extractWithOllama, ExtractionModelError } from './ollama.ts';
import { BUILT_IN_MODEL, extractWithPatterns } from './patterns.ts';
import { documentPages, DocumentTextError } from './text.ts';

export interface ContractExtractor {
  /** Recorded with the extraction. */
  model: string;
  extract(pages: string[]): Promise<ProposedField[]>;
}

export interface ExtractContractDeps {
  env: FunctionEnv;
  extractor: ContractExtractor;
  /** The service-role client that records the extraction (made from env when absent). */
  service?: SupabaseClient;
}

export const builtInExtractor: ContractExtractor = {
  model: BUILT_IN_MODEL,
  extract: (pages) => Promise.resolve(extractWithPatterns(pages)),
};

export function ollamaExtractor(options: { host: string; model: string; timeoutMs: number; fetch?: typeof fetch }): ContractExtractor {
  return { model: options.model, extract: (pages) => extractWithOllama(pages, options) };
}

/** LLM_PROVIDER=ollama|mock as for chat; without it Ollama when OLLAMA_HOST is set, else the built-in model. */
export function extractorFromEnv(env: Record<string, string | undefined>): ContractExtractor {
  const choice = (env.LLM_PROVIDER || (env.OLLAMA_HOST ? 'ollama' : 'mock')).toLowerCase();
  if (choice === 'mock') return builtInExtractor;
  if (choice === 'ollama') {
    const timeout = Number(env.LLM_TIMEOUT_MS);
    return ollamaExtractor({
      host: env.OLLAMA_HOST || 'http://127.0.0.1:11434',
      model: env.OLLAMA_MODEL || 'llama3.1:8b',
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 120_000,
    });
  }
  throw new Error(`LLM_PROVIDER must be "ollama" or "mock", not "${choice}"`);
}

export function extractContractDepsFromEnv(source: Record<string, string | undefined>): ExtractContractDeps {
  return { env: envFrom(source), extractor: extractorFromEnv(source) };
}

export function handleExtractContract(req: Request, deps: ExtractContractDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Send the document to extract with POST.');
    const db = callerClient(req, deps.env);
    const body = await parseJsonBody(req, ExtractContractRequestBody);
    const segments = body.object_path.split('/');
    if (segments.length !== 3 || segments[1] !== body.customer_id || !segments.every(isStorageNameSegment)) {
      throw new HttpError(400, '22023', 'object_path must be a document in the customer\'s folder.',
        'Upload to contracts/<organisation id>/<customer id>/<file name> and pass that path.');
    }

    // Who may extract, before anything is read or any model runs (a refusal costs no model call).
    await rpc(db, 'check_contract_extraction', { customer_id: body.customer_id });

    // supabase-js puts the path into the address as it is: a name holding `?` or `#` would be
    // cut there and another document read (`msa.txt?x` fetched `msa.txt`, and the extraction
    // recorded under a name no document has). Each segment is escaped, so the one named is read.
    const download = await db.storage.from('contracts').download(segments.map(encodeURIComponent).join('/'));
    if (download.error || !download.data) {
      const status = (download.error as { statusCode?: string } | null)?.statusCode;
      // Storage says 403 alike to a token it no longer takes and to a deactivated person: the
      // database tells them apart.
      if (status === '403') throw await callerRefusal(db, 'Sign in again to read this document.');
      if (status === '404' || status === undefined) {
        throw new HttpError(404, 'PT404', 'Document not found', 'Check the path; you only see your own organisation\'s documents.');
      }
      throw new HttpError(502, 'storage_error', 'The document could not be read from storage. Please try again.');
    }
    const bytes = new Uint8Array(await download.data.arrayBuffer());

    let pages: string[];
    try {
      pages = await documentPages(bytes, download.data.type);
    } catch (error) {
      if (error instanceof DocumentTextError) throw new HttpError(422, 'unreadable_document', error.message);
      throw error;
    }

    let fields: ProposedField[];
    try {
      fields = await deps.extractor.extract(pages);
    } catch (error) {
      if (error instanceof ExtractionModelError) throw new HttpError(502, 'model_error', error.message);
      throw error;
    }

    deps.service ??= serviceClient(deps.env);
    const extraction = await rpc(deps.service, 'record_contract_extraction', {
      requested_by: verifiedCallerId(req),
      customer_id: body.customer_id,
      object_path: body.object_path,
      model: deps.extractor.model,
      pages,
      fields,
    });
    return jsonResponse(extraction);
  });
}
