import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import { buildEnvelope, toResults } from './envelope.js';
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

  it('renders errors raised before routing in the envelope', async () => {
    const response = await app.inject({ url: '/api/v1/chats/%E0%A4%A/messages', headers: userHeaders });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 2000);
  });
});
