// Contract documents' calls: the file through supabase-js's storage client (bucket
// `contracts`, folder `<org>/<customer>/`), the extraction through the extract-contract
// Edge Function, reading and confirming through the typed RPC helper (lib/api.ts), their
// shapes the API module's (functions-shared/api/revenue.ts).
import { FunctionsHttpError } from '@supabase/supabase-js';
import type { Api } from '../../lib/api.ts';
import { ApiError, fromFunctionResponse } from '../../lib/errors.ts';
import { ExtractContractResponse } from '../../../../functions-shared/api/index.ts';
import { contractObjectPath, type ContractFieldKey, type ContractFieldValue } from '../../../../functions-shared/contracts/fields.ts';

export interface ContractDocument {
  name: string;
  path: string;
  size: number | null;
  mimetype: string | null;
  uploaded_at: string | null;
}

export type FieldDecision = { key: ContractFieldKey; value: ContractFieldValue } | { key: ContractFieldKey; reject: true };

const BUCKET = 'contracts';
/**
 * How long a contract document's link (View) lives: five minutes. The page opens it at once,
 * and whoever holds it reads the document without signing in until it expires, so it is
 * asked for no longer. Storage signs any expiry of a second or more (hosted and the local
 * stand-in alike), so the cap is ours (docs/contracts.md "Viewing a document").
 */
export const CONTRACT_LINK_SECONDS = 300;
const storageError = (error: { message: string; statusCode?: string }) =>
  new ApiError(error.message, { code: error.statusCode ?? 'storage', status: Number(error.statusCode) || 400 });

export function contractsApi(api: Api) {
  const client = api.client;
  const folder = (orgId: string, customerId: string) => `${orgId}/${customerId}`;

  const rpc = api.rpc;

  return {
    async listDocuments(orgId: string, customerId: string): Promise<ContractDocument[]> {
      const { data, error } = await client.storage.from(BUCKET).list(folder(orgId, customerId), { sortBy: { column: 'name', order: 'asc' } });
      if (error) throw storageError(error as { message: string; statusCode?: string });
      return (data ?? []).filter((entry) => entry.id !== null).map((entry) => ({
        name: entry.name,
        path: `${folder(orgId, customerId)}/${entry.name}`,
        size: typeof entry.metadata?.size === 'number' ? entry.metadata.size : null,
        mimetype: typeof entry.metadata?.mimetype === 'string' ? entry.metadata.mimetype : null,
        uploaded_at: entry.updated_at ?? entry.created_at ?? null,
      }));
    },

    async upload(orgId: string, customerId: string, file: File): Promise<string> {
      const path = contractObjectPath(orgId, customerId, file.name);
      const { error } = await client.storage.from(BUCKET).upload(path, file, { upsert: true, contentType: file.type || undefined });
      if (error) throw storageError(error as { message: string; statusCode?: string });
      return path;
    },

    async signedUrl(path: string): Promise<string> {
      const { data, error } = await client.storage.from(BUCKET).createSignedUrl(path, CONTRACT_LINK_SECONDS);
      if (error || !data) throw storageError((error ?? { message: 'No link' }) as { message: string; statusCode?: string });
      return data.signedUrl;
    },

    async extract(customerId: string, objectPath: string): Promise<ExtractContractResponse> {
      const { data, error } = await client.functions.invoke('extract-contract', { body: { customer_id: customerId, object_path: objectPath } });
      if (error) {
        if (error instanceof FunctionsHttpError) throw await fromFunctionResponse(error.context as Response);
        throw new ApiError('The extraction could not be started. Please try again.', { code: 'network' });
      }
      return ExtractContractResponse.parse(data);
    },

    listExtractions: (customerId: string) => rpc('list_contract_extractions', { customer_id: customerId }),
    getExtraction: (extractionId: string) => rpc('get_contract_extraction', { extraction_id: extractionId }),
    confirm: (extractionId: string, fields: FieldDecision[]) =>
      rpc('confirm_contract_fields', { extraction_id: extractionId, fields }),
  };
}
export type ContractsApi = ReturnType<typeof contractsApi>;
