// JSON over HTTP for benchmark drivers: every call has a timeout, and `ok` turns a non-2xx answer into an error
// that names the request and shows the answer.
export interface Answer {
  status: number;
  body: any;
}

export async function requestJson(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs)
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function okJson(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const answer = await requestJson(url, method, body, headers);
  if (answer.status >= 300) throw new Error(`${method} ${url} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}
