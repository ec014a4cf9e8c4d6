// Calls to the gateway's API with the tab's key: the envelope's results, or an ApiError carrying the HTTP
// status, the app code, the message to show and, for 429, how long to wait.
import { authHeaders } from './credentials';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | null,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as { message?: string; error?: string; code?: number; results?: { retryAfterSeconds?: number }[] };
  const header = Number(response.headers.get('retry-after'));
  const retryAfter = body.results?.[0]?.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : null);
  return new ApiError(body.message ?? body.error ?? `${response.status} ${response.statusText}`, response.status, body.code ?? null, retryAfter);
}

/** The `results` of the envelope. */
export async function call<T = unknown>(method: string, path: string, options: { query?: Query; body?: unknown; key?: string } = {}): Promise<T[]> {
  const headers: Record<string, string> = options.key ? { 'X-WAREST-API-KEY': options.key } : authHeaders();
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url(path, options.query), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (!response.ok) throw await failure(response);
  const body = (await response.json()) as { results?: T[] | T };
  return Array.isArray(body.results) ? body.results : body.results === undefined ? [] : [body.results];
}

/** The first result (most routes answer one). */
export async function first<T = unknown>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const results = await call<T>(method, path, options);
  return results[0] as T;
}

/** An image the API serves behind the key, as an object URL for an <img>. */
export async function imageUrl(path: string, query: Query): Promise<string> {
  const response = await fetch(url(path, query), { headers: authHeaders() });
  if (!response.ok) throw await failure(response);
  return URL.createObjectURL(await response.blob());
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
