// JSON over HTTP for benchmark drivers: every call has a deadline, and `ok` turns a non-2xx answer into an error
// that names the request and shows the answer. Plain node:http on keep-alive connections rather than fetch: the
// driver shares the machine with what it measures, and fetch spent 1.3–2 ms of CPU per API send (a quarter of
// what the gateway spent on it), which the gateway's figures paid for.
import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  body: any;
}

const agent = new Agent({ keepAlive: true });
/** `ETIMEDOUT`: no answer within the request's deadline (the request may or may not have been handled). */
const CONNECTION_FAILURES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT']);

/** Whether the request failed on its connection (reset, refused, or unanswered in time) rather than with an answer. */
export function isConnectionFailure(error: unknown): boolean {
  return error instanceof Error && CONNECTION_FAILURES.has((error as NodeJS.ErrnoException).code ?? '');
}

export function requestJson(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const contentHeaders = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...contentHeaders, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
        } catch (error) {
          reject(error);
        }
      });
    });
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(payload);
  });
}

export async function okJson(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const answer = await requestJson(url, method, body, headers);
  if (answer.status >= 300) throw new Error(`${method} ${url} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}
