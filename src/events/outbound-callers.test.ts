// The webhook preflight and the group picture download through their public functions, against a redirect to
// loopback and a DNS rebinding attacker (see src/lib/test-origin.test-support.ts for the fake public network).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPicture, PICTURE_MAX_BYTES } from '../core/groups/picture-input.js';
import { GatewayError } from '../core/errors.js';
import { preflightWebhook } from '../core/sessions/webhook-config.js';
import { fakePublicNetwork, PUBLIC_ADDRESS, TestOrigin } from '../lib/test-origin.test-support.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24)]);
const SESSION = { id: 's1', label: '', registry: '', username: 'owner' };
const INTERNAL_BODY = 'internal secret';

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof GatewayError, `expected a GatewayError, got ${String(err)}`);
  return err;
}

function assertDiscreet(err: Error) {
  for (const secret of ['127.0.0.1', PUBLIC_ADDRESS, '/internal', INTERNAL_BODY]) {
    assert.ok(!err.message.includes(secret), `"${err.message}" reveals ${secret}`);
  }
}

let origin: TestOrigin;
before(async () => {
  origin = await TestOrigin.start({
    '/hook': (_, res) => res.writeHead(204).end(),
    '/pic.png': (_, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    '/huge.png': (_, res) => res.end(Buffer.concat([PNG, Buffer.alloc(PICTURE_MAX_BYTES)])),
    '/to-loopback': (_, res) => res.writeHead(302, { location: origin.loopbackUrl('/internal') }).end(),
    '/to-cdn': (_, res) => res.writeHead(302, { location: origin.publicUrl('/pic.png', 'cdn.example') }).end(),
    '/internal': (_, res) => res.end(INTERNAL_BODY),
  });
});
after(() => origin.stop());

describe('preflightWebhook', () => {
  it('reaches a public receiver at the address that was checked, resolving its name once', async () => {
    const net = fakePublicNetwork();
    await preflightWebhook(origin.publicUrl('/hook'), 'a-secret', SESSION, { allowPrivate: false, ...net });
    assert.deepEqual(net.lookups, ['public.example']);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);
    assert.equal(origin.hits.at(-1)?.headers['x-warest-preflight'], '1');
  });

  it('does not follow a redirect to 127.0.0.1, and says so without the Location', async () => {
    const err = await gatewayError(preflightWebhook(origin.publicUrl('/to-loopback'), 'a-secret', SESSION, { allowPrivate: false, ...fakePublicNetwork() }));
    assert.equal(err.code, 'BAD_REQUEST');
    assert.match(err.message, /^Webhook preflight failed: the receiver answered with a redirect \(HTTP 302\), which is not followed/);
    assertDiscreet(err);
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('refuses a receiver whose name rebinds to loopback after it was configured', async () => {
    const net = fakePublicNetwork('127.0.0.1');
    await net.lookup('rebind.example'); // the check made when the URL was configured
    const err = await gatewayError(preflightWebhook(origin.publicUrl('/internal', 'rebind.example'), 'a-secret', SESSION, { allowPrivate: false, ...net }));
    assert.match(err.message, /^Webhook preflight failed: webhook refused: host rebind\.example resolves to a loopback address/);
    assertDiscreet(err);
    assert.deepEqual(net.dialled, []);
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('refuses private receivers unless allowed, and allows them when told to', async () => {
    const err = await gatewayError(preflightWebhook(origin.loopbackUrl('/hook'), 'a-secret', SESSION));
    assert.match(err.message, /loopback address; use a public address, or set WAYGATE_WEBHOOK_ALLOW_PRIVATE=true/);
    await preflightWebhook(origin.loopbackUrl('/hook'), 'a-secret', SESSION, { allowPrivate: true });
  });
});

describe('loadPicture', () => {
  const fromUrl = (url: string) => ({ kind: 'url' as const, url: new URL(url) });

  it('downloads from a public name through a redirect to another public name, each resolved once', async () => {
    const net = fakePublicNetwork();
    assert.deepEqual(await loadPicture(fromUrl(origin.publicUrl('/to-cdn')), { allowPrivate: false, ...net }), PNG);
    assert.deepEqual(net.lookups, ['public.example', 'cdn.example']);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS, PUBLIC_ADDRESS]);
  });

  it('refuses a redirect to 127.0.0.1 before connecting, without revealing it', async () => {
    const err = await gatewayError(loadPicture(fromUrl(origin.publicUrl('/to-loopback')), { allowPrivate: false, ...fakePublicNetwork() }));
    assert.equal(err.code, 'INVALID_PARAMETER');
    assert.match(err.message, /^picture URL refused: it redirects to a host that is a loopback address/);
    assertDiscreet(err);
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('is not fooled by DNS rebinding: the connection goes to the one checked answer', async () => {
    const net = fakePublicNetwork('127.0.0.1');
    assert.deepEqual(await loadPicture(fromUrl(origin.publicUrl('/pic.png', 'rebind.example')), { allowPrivate: false, ...net }), PNG);
    assert.deepEqual(net.lookups, ['rebind.example']);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);

    const again = await gatewayError(loadPicture(fromUrl(origin.publicUrl('/internal', 'rebind.example')), { allowPrivate: false, ...net }));
    assert.match(again.message, /^picture URL refused: host rebind\.example resolves to a loopback address/);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('stops reading past the size limit', async () => {
    const err = await gatewayError(loadPicture(fromUrl(origin.loopbackUrl('/huge.png')), { allowPrivate: true }));
    assert.deepEqual([err.code, err.message], ['MEDIA_TOO_LARGE', 'picture is larger than the 5 MB limit; send a smaller image']);
  });
});
