import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { adminHeaders, testApp, userHeaders } from './testing.js';

describe('/metrics', () => {
  it('requires the admin key by default', async () => {
    const { app } = await testApp();
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
    const user = await app.inject({ url: '/metrics', headers: userHeaders });
    assert.equal(user.statusCode, 403);
    assert.deepEqual(user.json(), { error: 'Admin only' });
    assert.equal((await app.inject({ url: '/metrics', headers: adminHeaders })).statusCode, 200);
    await app.close();
  });

  it('is public when configured', async () => {
    const { app } = await testApp({ config: { metricsPublic: true } });
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 200);
    await app.close();
  });

  it('exposes process metrics and request counts by route pattern and status', async () => {
    const { app } = await testApp();
    await app.inject({ url: '/api/v1/server/ping' });
    await app.inject({ url: '/api/v1/chats/123@s.whatsapp.net/messages', headers: userHeaders });
    await app.inject({ url: '/api/v1/definitely/unknown', headers: userHeaders });
    const response = await app.inject({ url: '/metrics', headers: adminHeaders });
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    const text = response.body;
    assert.match(text, /process_cpu_user_seconds_total/);
    assert.match(text, /waygate_http_requests_total\{method="GET",route="\/api\/v1\/server\/ping",status="200"\} 1/);
    assert.match(text, /waygate_http_requests_total\{method="GET",route="\/api\/v1\/chats\/:chatId\/messages",status="501"\} 1/);
    assert.match(text, /route="unmatched",status="404"/);
    assert.match(text, /waygate_http_request_duration_seconds_bucket/);
    await app.close();
  });

  it('shares a registry passed in by the host without registering twice', async () => {
    const registry = new Registry();
    const first = await testApp({ metricsRegistry: registry });
    const second = await testApp({ metricsRegistry: registry });
    await second.app.inject({ url: '/api/v1/server/ping' });
    assert.match(await registry.metrics(), /waygate_http_requests_total/);
    await first.app.close();
    await second.app.close();
  });
});
