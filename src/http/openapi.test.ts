import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { APP_CODES } from '../core/errors.js';
import { API_ACTIONS } from './route-table.js';
import { testApp } from './testing.js';

describe('OpenAPI and docs', () => {
  let app: FastifyInstance;
  before(async () => ({ app } = await testApp()));
  after(() => app.close());

  it('serves the document publicly at /docs/json with every table route', async () => {
    const response = await app.inject({ url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.equal(doc.info.title, 'Waygate');
    for (const action of API_ACTIONS) {
      const path = `/api/v1${action.path.replace(/:(\w+)/g, '{$1}')}`;
      const operation = doc.paths[path]?.[action.method.toLowerCase()];
      assert.ok(operation, `${action.method} ${path} is documented`);
      assert.equal(operation.operationId, action.operation);
      assert.deepEqual(operation.tags, [action.category]);
    }
    assert.ok(doc.components.securitySchemes.apiKey);
    assert.deepEqual(doc.paths['/api/v1/server/ping'].get.security, []);
  });

  it('documents request schemas from the routes', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const schedule = doc.paths['/api/v1/server/restart/scheduled'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(schedule.required, ['schedule']);
    assert.ok(doc.paths['/api/v1/group/invite/revoke'].post.requestBody.content['application/json'].schema.properties.groupId);
  });

  it('serves the UI publicly', async () => {
    const response = await app.inject({ url: '/docs' });
    assert.ok([200, 302].includes(response.statusCode), `status ${response.statusCode}`);
  });

  it('serves the UI pages and assets, built on the first request', async () => {
    const page = await app.inject({ url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.body, /swagger-ui/);
    const css = await app.inject({ url: '/docs/static/swagger-ui.css' });
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['content-type'] as string, /^text\/css/);
    assert.equal(Number(css.headers['content-length']), css.rawPayload.length);
    const head = await app.inject({ method: 'HEAD', url: '/docs/static/swagger-ui.css' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-length'], css.headers['content-length']);
    assert.equal(head.body, '');
    const cached = await app.inject({ url: '/docs/static/swagger-ui.css', headers: { 'if-none-match': css.headers.etag as string } });
    assert.equal(cached.statusCode, 304);
    const redirect = await app.inject({ url: '/docs/static/index.html' });
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers.location, '/docs/');
  });

  it('answers what the UI does not have with the gateway 404', async () => {
    for (const url of ['/docs/static/nope.js', '/docs/nope']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().code, 2600, url);
    }
  });

  it('serves the document as YAML at /docs/yaml', async () => {
    const response = await app.inject({ url: '/docs/yaml' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/x-yaml');
    assert.match(response.body, /^openapi: 3\.0\.3$/m);
    assert.match(response.body, /\/api\/v1\/server\/ping:/);
  });

  it('serves the code table at /docs/code-table.json in WARest field names', async () => {
    const response = await app.inject({ url: '/docs/code-table.json' });
    assert.equal(response.statusCode, 200);
    const table = response.json();
    assert.equal(table.length, APP_CODES.length);
    assert.deepEqual(table[0], {
      app_code: 1000, app_name: 'SUCCESS', message: 'Request successful', http_status: 200, retryable: false, category: 'success', origin: 'warest',
    });
  });
});
