// One error type for everything the API can answer, so components show `message` and
// branch on `code` (api.md: 22023, PT404, 42501, PT409; Edge Functions add 401 and 422).
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly hint: string | null;
  readonly details: unknown;

  constructor(message: string, options: { code?: string; status?: number; hint?: string | null; details?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = options.code ?? 'unknown';
    this.status = options.status ?? 0;
    this.hint = options.hint ?? null;
    this.details = options.details;
  }

  get isConflict(): boolean {
    return this.code === 'PT409' || this.status === 409;
  }

  get isForbidden(): boolean {
    return this.code === '42501' || this.status === 403;
  }

  get isNotFound(): boolean {
    return this.code === 'PT404' || this.status === 404;
  }
}

interface PostgrestLikeError {
  code?: string;
  message?: string;
  hint?: string | null;
  details?: unknown;
}

export function fromPostgrestError(error: PostgrestLikeError, status?: number): ApiError {
  return new ApiError(error.message || 'The request failed.', {
    code: error.code,
    status,
    hint: error.hint ?? null,
    details: error.details,
  });
}

/** Reads the house error body `{"error": {code, message, details}}` of an Edge Function. */
export async function fromFunctionResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: fall through to a generic message.
  }
  const error = (body as { error?: PostgrestLikeError } | null)?.error;
  if (error && typeof error === 'object') {
    return new ApiError(error.message || `The request failed (HTTP ${response.status}).`, {
      code: error.code ?? String(response.status),
      status: response.status,
      details: error.details,
    });
  }
  return new ApiError(`The request failed (HTTP ${response.status}).`, { status: response.status, code: String(response.status) });
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
