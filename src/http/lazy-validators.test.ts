// Route schemas are compiled on a route's first request: the app starts with a schema Ajv cannot compile, that
// route answers 500 in the envelope, and the other routes validate as before (coercion, refusals, unsafe numbers).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testApp, userHeaders } from './testing.js';

describe('route validators compiled on first use', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await testApp({
      registerRoutes: [
        {
          routes: async (scope) => {
            scope.get('/test/broken', { schema: { querystring: { type: 'object', properties: { n: { type: 'no-such-type' } } } } }, async () => ({}));
            scope.get<{ Querystring: { n: number } }>(
              '/test/count',
              { schema: { querystring: { type: 'object', required: ['n'], properties: { n: { type: 'integer', maximum: 10 } } } } },
              async (request, reply) => reply.envelope('SUCCESS', 'ok', { n: request.query.n }),
            );
          },
        },
      ],
    }));
  });
  after(() => app.close());

  const get = (url: string) => app.inject({ url: `/api/v1${url}`, headers: userHeaders });

  it('starts, and a schema that cannot compile fails its own route with 500 in the envelope', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await get('/test/broken?n=1');
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().code, 8000);
    }
  });

  it('validates the other routes as before', async () => {
    const ok = await get('/test/count?n=7');
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json().results, [{ n: 7 }], 'coerced to a number');
    for (const [query, message] of [['', /n is required/], ['?n=11', /n must be <= 10/], ['?n=Infinity', /n must be/]] as const) {
      const refused = await get(`/test/count${query}`);
      assert.equal(refused.statusCode, 400, query);
      assert.match(refused.json().message, message, query);
    }
  });
});
