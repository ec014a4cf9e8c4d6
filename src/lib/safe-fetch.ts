// Owns the gateway's HTTP requests to URLs that users supply (webhooks, pictures, media): every hop passes
// resolveTarget and the connection goes to the addresses that were checked, never to a second DNS answer (DNS
// rebinding). Redirects are not followed unless asked; one deadline covers all hops; bodies are read up to a limit.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { linkedAbort } from './linked-abort.js';
import { OutboundRequestError, resolveTarget, type OutboundTarget, type TargetOptions } from './outbound-target.js';

export interface SafeFetchOptions extends TargetOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Redirects to follow, each hop checked like the first URL. Default 0: a 3xx is the answer. */
  maxRedirects?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Read the body, failing with `too_large` past this many bytes. Without it the body is discarded. */
  maxBodyBytes?: number;
  /** Tests only: the address dialled in place of a checked one (a public-looking test address → 127.0.0.1). */
  connectOverride?: (address: string) => string;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The URL that answered: the last hop when redirects were followed. */
  url: URL;
  /** Null unless `maxBodyBytes` was given. */
  body: Buffer | null;
}

interface HopRequest {
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

type PinnedRequestOptions = https.RequestOptions & { pinnedTo: string };

// Kept-alive sockets are pooled per host *and* checked address set, so a socket is only reused by a request
// whose own check approved the addresses it may lead to (the check may differ between requests: allowPrivate).
class PinnedHttpAgent extends http.Agent {
  override getName(options: PinnedRequestOptions): string {
    return `${super.getName(options)}|${options.pinnedTo}`;
  }
}
class PinnedHttpsAgent extends https.Agent {
  override getName(options: PinnedRequestOptions): string {
    return `${super.getName(options)}|${options.pinnedTo}`;
  }
}
const agents = { 'http:': new PinnedHttpAgent({ keepAlive: true }), 'https:': new PinnedHttpsAgent({ keepAlive: true }) };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIALS = new Set(['authorization', 'proxy-authorization', 'cookie']);
// Draining a small unread body lets its connection be reused; a longer one is not worth the wait.
const DISCARD_LIMIT = 64 * 1024;

/** @throws OutboundRequestError, whatever went wrong. */
export async function safeFetch(url: string | URL, options: SafeFetchOptions): Promise<SafeResponse> {
  const label = options.label ?? 'URL';
  const abort = linkedAbort({ timeoutMs: options.timeoutMs, signal: options.signal });
  const { signal } = abort;
  // An answer whose body is drained unread is still bound by the deadline until it closes.
  let unreadBody: http.IncomingMessage | undefined;
  let request: HopRequest = { method: options.method ?? 'GET', headers: options.headers ?? {}, body: options.body };
  let next: string | URL = url;
  try {
    for (let hop = 0; ; hop++) {
      const target = await untilAborted(resolveTarget(next, options, hop > 0), signal);
      const response = await send(target, request, options.connectOverride, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (!options.maxRedirects || !REDIRECTS.has(status) || !location) {
        const answer = { status, headers: response.headers, url: target.url };
        if (options.maxBodyBytes !== undefined) return { ...answer, body: await readBody(response, options.maxBodyBytes, label) };
        unreadBody = response;
        return { ...answer, body: discard(response) };
      }
      discard(response);
      if (hop >= options.maxRedirects) {
        throw new OutboundRequestError('too_many_redirects', `${label} redirects more than ${options.maxRedirects} times; use the final URL`);
      }
      next = redirectTarget(location, target.url, label);
      request = redirectedRequest(request, status, target.url, next);
    }
  } catch (err) {
    if (err instanceof OutboundRequestError) throw err;
    if (options.signal?.aborted) throw new OutboundRequestError('aborted', `${label} request was cancelled`, { cause: err });
    if (abort.timedOut) throw new OutboundRequestError('timeout', `${label} did not answer within ${options.timeoutMs} ms`, { cause: err });
    // The code (ECONNREFUSED, CERT_HAS_EXPIRED…) says what to fix; the message would name the address.
    const code = (err as NodeJS.ErrnoException).code ?? 'connection failed';
    throw new OutboundRequestError('network', `${label} could not be reached (${code})`, { cause: err });
  } finally {
    if (unreadBody && !unreadBody.closed) unreadBody.once('close', abort.release);
    else abort.release();
  }
}

function send(target: OutboundTarget, request: HopRequest, override: SafeFetchOptions['connectOverride'], signal?: AbortSignal): Promise<http.IncomingMessage> {
  const { url } = target;
  const pinned = target.addresses.map(({ address, family }) => ({ address: override?.(address) ?? address, family }));
  // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily), for one otherwise.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, pinned);
    else callback(null, pinned[0]!.address, pinned[0]!.family);
  };
  const requestOptions: PinnedRequestOptions = {
    hostname: target.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method: request.method,
    // Host (and with it the TLS server name checked against the certificate) stays the URL's host.
    headers: { ...request.headers, host: url.host },
    agent: agents[url.protocol as keyof typeof agents],
    lookup,
    signal,
    pinnedTo: pinned.map(({ address }) => address).join(','),
  };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(requestOptions, resolve);
    req.on('error', reject);
    req.end(request.body);
  });
}

function redirectTarget(location: string, base: URL, label: string): URL {
  try {
    return new URL(location, base);
  } catch (err) {
    throw new OutboundRequestError('invalid_url', `${label} redirects to an invalid URL`, { cause: err });
  }
}

// 307 and 308 repeat the request; the others continue as a GET without body, as browsers do.
function redirectedRequest(request: HopRequest, status: number, from: URL, to: URL): HopRequest {
  const repeat = status === 307 || status === 308 || request.method === 'GET' || request.method === 'HEAD';
  const headers =
    from.origin === to.origin ? request.headers : Object.fromEntries(Object.entries(request.headers).filter(([name]) => !CREDENTIALS.has(name.toLowerCase())));
  return repeat ? { ...request, headers } : { method: 'GET', headers, body: undefined };
}

async function readBody(response: http.IncomingMessage, maxBytes: number, label: string): Promise<Buffer> {
  const tooLarge = () => new OutboundRequestError('too_large', `${label} answered with more than ${maxBytes} bytes`);
  if (Number(response.headers['content-length']) > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (throw) destroys the response.
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function discard(response: http.IncomingMessage): null {
  let drained = 0;
  response.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DISCARD_LIMIT) response.destroy();
  });
  // The caller has its answer; a late error of the unread body concerns no one.
  response.on('error', () => {});
  return null;
}

function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
