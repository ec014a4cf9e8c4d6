import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildWebhookRequest, verifyWebhookSignature } from './webhook-signer.js';

const session = { id: 'sales', label: 'Sales', registry: 'ABCDEFGHIJ', username: 'alice' };
const input = {
  eventId: '3f2b6f0e-1d7a-4c55-9a8f-0c1f2e3d4c5b',
  tag: 'message_received' as const,
  payload: { id: 'sales', text: 'héllo', tags: 'text' },
  session,
  secret: 'top-secret',
  attempt: 2,
  ts: 1_760_000_000_123,
};

describe('webhook signer', () => {
  it('builds the WARest body: tag, payload plus sessionId, ts and session', () => {
    const { body } = buildWebhookRequest(input);
    assert.deepEqual(JSON.parse(body), {
      event: 'message_received',
      data: { id: 'sales', text: 'héllo', tags: 'text', sessionId: 'sales' },
      ts: 1_760_000_000_123,
      session,
    });
  });

  it('signs the exact body bytes with HMAC-SHA256(secret + username), checked independently', () => {
    const { body, headers } = buildWebhookRequest(input);
    const expected = createHmac('sha256', 'top-secretalice').update(Buffer.from(body, 'utf8')).digest('hex');
    assert.equal(headers['X-WAREST-Signature'], `HMAC-SHA256=${expected}`);
    assert.equal(headers['X-WAREST-Signature-Alg'], 'HMAC-SHA256');
  });

  it('sends our stable event id and the WARest headers', () => {
    const { headers } = buildWebhookRequest(input);
    assert.equal(headers['X-WAREST-Event-Id'], input.eventId);
    assert.equal(headers['X-WAREST-Event'], 'message_received');
    assert.equal(headers['X-WAREST-Timestamp'], '1760000000123');
    assert.equal(headers['X-WAREST-Delivery-Attempt'], '2');
    assert.equal(headers['X-WAREST-Session'], 'sales');
    assert.equal(headers['X-WAREST-Registry'], 'ABCDEFGHIJ');
    assert.equal(headers['X-WAREST-Username'], 'alice');
    assert.equal(headers['X-WAREST-Version'], '1');
    assert.equal(headers['Content-Type'], 'application/json');
    assert.match(headers['User-Agent'] ?? '', /^Waygate\/\d+\.\d+\.\d+ \(webhook\) Node\/\d+/);
  });

  it('omits empty identity headers and keys the HMAC with the secret alone', () => {
    const anonymous = { ...session, username: '', registry: '', label: '' };
    const { body, headers } = buildWebhookRequest({ ...input, session: anonymous });
    assert.equal('X-WAREST-Username' in headers, false);
    assert.equal('X-WAREST-Registry' in headers, false);
    assert.equal('X-WAREST-Label' in headers, false);
    const expected = createHmac('sha256', 'top-secret').update(body).digest('hex');
    assert.equal(headers['X-WAREST-Signature'], `HMAC-SHA256=${expected}`);
  });

  it('sends unsigned when the session has no secret', () => {
    const { headers } = buildWebhookRequest({ ...input, secret: null });
    assert.equal('X-WAREST-Signature' in headers, false);
  });

  describe('verifyWebhookSignature', () => {
    const { body, headers } = buildWebhookRequest(input);
    const lowerCased = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

    it('accepts the right secret among several, with Node or fetch headers', () => {
      assert.equal(verifyWebhookSignature(body, lowerCased, ['old-secret', 'top-secret']), true);
      assert.equal(verifyWebhookSignature(Buffer.from(body), new Headers(headers), ['top-secret']), true);
      assert.equal(verifyWebhookSignature(body, lowerCased, ['top-secret'], 'alice'), true);
    });

    it('rejects a wrong secret, username, tampered body or missing signature', () => {
      assert.equal(verifyWebhookSignature(body, lowerCased, ['wrong']), false);
      assert.equal(verifyWebhookSignature(body, lowerCased, ['top-secret'], 'mallory'), false);
      assert.equal(verifyWebhookSignature(body.replace('héllo', 'hello'), lowerCased, ['top-secret']), false);
      assert.equal(verifyWebhookSignature(body, { ...lowerCased, 'x-warest-signature': undefined }, ['top-secret']), false);
      assert.equal(verifyWebhookSignature(body, { ...lowerCased, 'x-warest-signature': 'HMAC-SHA256=zz' }, ['top-secret']), false);
      assert.equal(verifyWebhookSignature(body, lowerCased, []), false);
    });
  });
});
