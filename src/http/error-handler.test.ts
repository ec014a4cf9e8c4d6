import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import { buildEnvelope, toResults } from './envelope.js';
import { clientErrorHandler, clientErrorResponse, unsafeNumberAt } from './error-handler.js';
import { captureLogs, testApp, userHeaders, type LogCapture } from './testing.js';
import type { RouteModule } from './types.js';

const probes: RouteModule = {
  routes: async (app) => {
    app.get<{ Querystring: { kind: string } }>('/test/results', async (request, reply) => {
      const results = { object: { a: 1 }, null: null, array: [{ a: 1 }, { b: 2 }] }[request.query.kind];
      return reply.envelope('SUCCESS', 'route message', results);
    });
    app.get('/test/partial', async (_request, reply) => reply.envelope('PARTIAL_SUCCESS', 'some failed', { failed: 1 }));
    app.get('/test/gateway-error', async () => {
      throw new GatewayError('INVITE_REVOKE_TOO_SOON', 'Invite link was revoked 10 s ago; wait 50 s', {
        details: { groupId: '1@g.us' }, retryAfterSeconds: 50,
      });
    });
    app.get('/test/crash', async () => {
      throw new Error('boom');
    });
    app.post('/test/group', {
      schema: {
        body: {
          type: 'object',
          required: ['groupId'],
          properties: {
            groupId: { type: 'string' },
            participants: { type: 'array', items: { type: 'string' } },
            mode: { type: 'string', enum: ['a', 'b'] },
          },
        },
      },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'ok', request.body),
    });
    app.get('/test/query', {
      schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } } } },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'ok', request.query),
    });
    app.get('/test/bounded', {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            ratio: { type: 'number' },
            either: { type: ['string', 'integer'] },
            list: { type: 'array', items: { type: 'integer' } },
          },
        },
      },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'ok', request.query),
    });
    app.post('/test/numbers', {
      schema: {
        body: {
          type: 'object',
          properties: { since: { type: 'integer', minimum: 0 }, nested: { type: 'object', properties: { n: { type: 'number' } } } },
        },
      },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'ok', request.body),
    });
    app.get('/test/path/:n', {
      schema: { params: { type: 'object', properties: { n: { type: 'integer' } } } },
      handler: async (request, reply) => reply.envelope('SUCCESS', 'ok', request.params),
    });
  },
};

describe('envelope', () => {
  it('wraps results into an array', () => {
    assert.deepEqual(toResults(null), []);
    assert.deepEqual(toResults(undefined), []);
    assert.deepEqual(toResults({ a: 1 }), [{ a: 1 }]);
    assert.deepEqual(toResults([1, 2]), [1, 2]);
  });

  it('takes the HTTP status from the code and never the table message', () => {
    assert.deepEqual(buildEnvelope('SESSION_QR_REQUIRED', 'Scan the QR to continue'), {
      httpStatus: 202, body: { status: true, code: 1107, message: 'Scan the QR to continue', results: [] },
    });
    assert.deepEqual(buildEnvelope('SESSION_NOT_FOUND', ''), {
      httpStatus: 404, body: { status: false, code: 1101, message: '', results: [] },
    });
  });
});

describe('error rendering', () => {
  let app: FastifyInstance;
  let logs: LogCapture;
  before(async () => {
    logs = captureLogs();
    ({ app } = await testApp({ logger: logs.logger, registerRoutes: [probes], config: { bodyLimitBytes: 1024 } }));
  });
  after(() => app.close());

  const post = (url: string, payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload, headers: { ...userHeaders, 'content-type': contentType } });

  it('sends route envelopes with results always an array', async () => {
    for (const [kind, results] of [['object', [{ a: 1 }]], ['null', []], ['array', [{ a: 1 }, { b: 2 }]]] as const) {
      const response = await app.inject({ url: `/api/v1/test/results?kind=${kind}`, headers: userHeaders });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: true, code: 1000, message: 'route message', results });
    }
    const partial = await app.inject({ url: '/api/v1/test/partial', headers: userHeaders });
    assert.equal(partial.statusCode, 207);
    assert.equal(partial.json().status, true);
  });

  it('renders a GatewayError by its code, with details as results and Retry-After', async () => {
    const response = await app.inject({ url: '/api/v1/test/gateway-error', headers: userHeaders });
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '50');
    assert.deepEqual(response.json(), {
      status: false, code: 5011, message: 'Invite link was revoked 10 s ago; wait 50 s', results: [{ groupId: '1@g.us' }],
    });
  });

  it('turns malformed JSON into 400 MALFORMED_JSON', async () => {
    const response = await post('/api/v1/test/group', '{"groupId": ');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 2008);
    assert.equal(response.json().status, false);
    assert.deepEqual(response.json().results, []);
  });

  it('reads an empty JSON body as {} (like WARest)', async () => {
    const response = await post('/api/v1/test/group', '');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().message, 'body/groupId is required');
  });

  it('turns an oversized body into 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await post('/api/v1/test/group', JSON.stringify({ groupId: 'x'.repeat(2000) }));
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().code, 2006);
    assert.match(response.json().message, /1 KB limit/);
  });

  it('turns an unsupported content type into 415', async () => {
    const response = await post('/api/v1/test/group', '<x/>', 'application/xml');
    assert.equal(response.statusCode, 415);
    assert.equal(response.json().code, 2007);
  });

  it('names the field in validation errors', async () => {
    const cases: [string, number, string][] = [
      ['{}', 2001, 'body/groupId is required'],
      ['{"groupId": {}}', 2002, 'body/groupId must be string'],
      ['{"groupId": "1", "participants": [{}]}', 2002, 'body/participants/0 must be string'],
      ['{"groupId": "1", "mode": "c"}', 2002, 'body/mode must be one of: a, b'],
    ];
    for (const [payload, code, message] of cases) {
      const response = await post('/api/v1/test/group', payload);
      assert.equal(response.statusCode, 400, payload);
      assert.deepEqual(response.json(), { status: false, code, message, results: [] });
    }
    const query = await app.inject({ url: '/api/v1/test/query?limit=0', headers: userHeaders });
    assert.equal(query.json().message, 'query/limit must be >= 1');
  });

  it('answers unknown routes with an enveloped 404, inside and outside /api/v1', async () => {
    for (const url of ['/api/v1/nope', '/api/v1/group/nope?api_key=x', '/nope']) {
      const response = await app.inject({ url, headers: userHeaders });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().code, 2600);
      assert.equal(response.json().status, false);
      assert.doesNotMatch(response.json().message, /api_key/);
    }
  });

  it('ignores a trailing slash', async () => {
    const response = await app.inject({ url: '/api/v1/test/partial/', headers: userHeaders });
    assert.equal(response.statusCode, 207);
  });

  it('turns anything else into a logged 500 INTERNAL_ERROR', async () => {
    const response = await app.inject({ url: '/api/v1/test/crash', headers: userHeaders });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().code, 8000);
    assert.doesNotMatch(response.json().message, /boom/);
    const logged = logs.lines.find((line) => line.msg === 'unhandled error');
    assert.ok(logged, 'the 500 is logged');
    assert.match(String((logged.err as { stack?: string }).stack), /boom/);
  });

  it('renders errors raised before routing in the envelope (in Wawp\'s shape under /v2/)', async () => {
    const response = await app.inject({ url: '/api/v1/chats/%E0%A4%A/messages', headers: userHeaders });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 2000);
    const long = await app.inject({ url: `/api/v1/chats/${'x'.repeat(101)}/messages`, headers: userHeaders });
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().code, 2000);
    const wawp = await app.inject({ url: '/v2/groups/%E0%A4%A/invite-code', headers: userHeaders });
    assert.equal(wawp.statusCode, 400);
    assert.deepEqual(Object.keys(wawp.json()).sort(), ['code', 'error', 'message', 'status']);
    assert.deepEqual([wawp.json().status, wawp.json().error, wawp.json().code], [400, 'invalid_parameter', 2000]);
    const unknown = await app.inject({ url: '/v2/groups/nope', headers: userHeaders });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), {
      status: 404, message: 'Route GET /v2/groups/nope does not exist; the API is listed at /docs', error: 'not_found', code: 2600,
    });
  });
});

describe('numbers in requests', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await testApp({ registerRoutes: [probes] }));
  });
  after(() => app.close());

  const get = (url: string) => app.inject({ url, headers: userHeaders });
  const post = (payload: string) =>
    app.inject({ method: 'POST', url: '/api/v1/test/numbers', payload, headers: { ...userHeaders, 'content-type': 'application/json' } });

  it('refuses non-finite numbers in the query, even where the schema has a maximum (Ajv coerces them past it)', async () => {
    for (const value of ['Infinity', '-Infinity', '1e309', '-1e309', '+Infinity']) {
      for (const field of ['limit', 'ratio']) {
        const response = await get(`/api/v1/test/bounded?${field}=${encodeURIComponent(value)}`);
        assert.equal(response.statusCode, 400, `${field}=${value}`);
        assert.deepEqual(response.json(), { status: false, code: 2002, message: `query/${field} must be a finite number`, results: [] });
      }
    }
    const listed = await get('/api/v1/test/bounded?list=1&list=Infinity');
    assert.equal(listed.json().message, 'query/list/1 must be a finite number');
    const path = await get('/api/v1/test/path/Infinity');
    assert.equal(path.json().message, 'params/n must be a finite number');
  });

  it('refuses NaN, numbers beyond ±(2^53 − 1) and out-of-range integers, naming the field', async () => {
    const cases: [string, string][] = [
      ['limit=NaN', 'query/limit must be integer'],
      ['limit=1e300', 'query/limit must be <= 500'],
      ['limit=0', 'query/limit must be >= 1'],
      ['ratio=1e300', 'query/ratio must be a number between -9007199254740991 and 9007199254740991'],
      ['ratio=-9007199254740993', 'query/ratio must be a number between -9007199254740991 and 9007199254740991'],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/api/v1/test/bounded?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.deepEqual(response.json(), { status: false, code: 2002, message, results: [] }, query);
    }
  });

  it('keeps good numbers and strings that only look like numbers where a string is accepted', async () => {
    const response = await get('/api/v1/test/bounded?limit=500&ratio=-0.5&either=Infinity');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().results, [{ limit: 500, ratio: -0.5, either: 'Infinity' }]);
    const largest = await get('/api/v1/test/bounded?ratio=9007199254740991');
    assert.equal(largest.statusCode, 200);
  });

  it('refuses non-finite numbers in JSON bodies, declared or not, as strings or as 1e309', async () => {
    const cases: [string, string][] = [
      ['{"since": 1e309}', 'body/since must be integer'],
      ['{"since": "Infinity"}', 'body/since must be a finite number'],
      ['{"since": "-1e400"}', 'body/since must be a finite number'],
      ['{"nested": {"n": "1e309"}}', 'body/nested/n must be a finite number'],
      ['{"free": [1, {"x/y": -1e309}]}', 'body/free/1/x~1y must be a finite number'],
      ['{"free": 1e20}', 'body/free must be a number between -9007199254740991 and 9007199254740991'],
    ];
    for (const [payload, message] of cases) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, payload);
      assert.deepEqual(response.json(), { status: false, code: 2002, message, results: [] }, payload);
    }
    const fine = await post('{"since": 1700000000000, "nested": {"n": 1.5}, "free": ["Infinity"]}');
    assert.equal(fine.statusCode, 200);
  });

  it('walks deeply nested bodies without recursion', () => {
    let deep: unknown = Infinity;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(unsafeNumberAt(deep)?.path.length, 2 * 100_000);
    assert.equal(unsafeNumberAt({ a: [1, 2, { b: 3 }], c: 'Infinity' }), undefined);
    assert.deepEqual(unsafeNumberAt({ a: 1, b: [0, NaN] }), { path: '/b/1', value: NaN });
  });
});

/** Sends raw bytes, then reads until the server closes (or `closeAfterMs` passes, when the client hangs up). */
function rawExchange(port: number, data: string, closeAfterMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.on('close', () => resolve(received));
    if (closeAfterMs !== undefined) setTimeout(() => socket.destroy(), closeAfterMs);
  });
}

function parseRaw(text: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(body) };
}

describe('what Node refuses before routing, over a real socket', () => {
  let app: FastifyInstance;
  let logs: LogCapture;
  let port: number;
  before(async () => {
    logs = captureLogs();
    ({ app } = await testApp({ logger: logs.logger }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  after(() => app.close());

  it('answers headers over the limit with 431 in the envelope', async () => {
    const answer = parseRaw(await rawExchange(port, `GET /api/v1/server/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    assert.equal(answer.status, 431);
    assert.match(answer.headers, /content-type: application\/json/i);
    assert.deepEqual(answer.body, {
      status: false, code: 2006, message: 'Request headers exceed the 16 KB limit; send fewer or shorter headers', results: [],
    });
  });

  it('answers a malformed request line or framing with 400 in the envelope', async () => {
    for (const request of ['HELLO WORLD\r\n\r\n', 'GET /api/v1/server/ping HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n']) {
      const answer = parseRaw(await rawExchange(port, request));
      assert.equal(answer.status, 400, request);
      assert.equal((answer.body as { code: number }).code, 2000, request);
      assert.equal((answer.body as { status: boolean }).status, false, request);
      assert.match((answer.body as { message: string }).message, /^Malformed HTTP request \(HPE_/, request);
    }
  });

  it('logs a body cut off by the client as an abort (not a database outage) and stays healthy', async () => {
    const before = logs.lines.length;
    const head = 'POST /api/v1/server/restart HTTP/1.1\r\nHost: x\r\nX-WAREST-API-KEY: test-admin-key-0123456789\r\n' +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"reason": "half a bo';
    assert.equal(await rawExchange(port, head, 100), '');
    const deadline = Date.now() + 2_000;
    while (!logs.lines.slice(before).some((line) => line.msg === 'request aborted by the client') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lines = logs.lines.slice(before);
    const aborted = lines.find((line) => line.msg === 'request aborted by the client');
    assert.ok(aborted, 'the abort is logged');
    assert.equal(aborted.level, 30);
    assert.equal(aborted.url, '/api/v1/server/restart');
    assert.ok(!lines.some((line) => /database/i.test(JSON.stringify(line))), 'not a database error');
    assert.ok(!lines.some((line) => (line.level as number) >= 40), 'nothing at warn or above');
    assert.ok(!lines.some((line) => line.statusCode === 503));
    const ping = await fetch(`http://127.0.0.1:${port}/api/v1/server/ping`);
    assert.equal(ping.status, 200);
  });
});

describe('the client error handler', () => {
  class FakeSocket extends Duplex {
    written = '';
    override _read(): void {}
    override _write(chunk: Buffer, _encoding: string, done: () => void): void {
      this.written += chunk.toString();
      done();
    }
  }
  const instance = { log: { debug() {}, info() {} }, server: {} } as unknown as FastifyInstance;
  const fail = (code: string) => Object.assign(new Error(code), { code });

  it('only destroys a socket that is gone (ECONNRESET, EPIPE) or midway through a response', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']) {
      const socket = new FakeSocket();
      clientErrorHandler.call(instance, fail(code), socket);
      assert.equal(socket.written, '', code);
      assert.equal(socket.destroyed, true, code);
    }
    const busy = Object.assign(new FakeSocket(), { _httpMessage: { headersSent: true } });
    clientErrorHandler.call(instance, fail('HPE_INVALID_METHOD'), busy);
    assert.equal(busy.written, '');
    assert.equal(busy.destroyed, true);
  });

  it('writes the envelope, then closes', async () => {
    const socket = new FakeSocket();
    clientErrorHandler.call(instance, fail('HPE_INVALID_METHOD'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(socket.written, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(socket.written, /\r\nConnection: close\r\n/);
    assert.equal(socket.destroyed, true);
  });

  it('answers a request that took too long with 408, the envelope carrying TIMEOUT', () => {
    const answer = parseRaw(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT', 16_384));
    assert.equal(answer.status, 408);
    assert.deepEqual(answer.body, { status: false, code: 8002, message: 'The request did not arrive in time; send it again', results: [] });
    const text = clientErrorResponse('HPE_HEADER_OVERFLOW', 16_384);
    const length = Number(/Content-Length: (\d+)/.exec(text)?.[1]);
    assert.equal(length, Buffer.byteLength(text.split('\r\n\r\n')[1]!));
  });
});
