import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import { OutboundRequestError, resolveTarget, type OutboundFailure } from './outbound-target.js';
import { safeFetch, type SafeFetchOptions } from './safe-fetch.js';
import { fakePublicNetwork, PUBLIC_ADDRESS, TestOrigin } from './test-origin.test-support.js';

async function failure(url: string, options: SafeFetchOptions): Promise<OutboundRequestError> {
  try {
    await safeFetch(url, options);
  } catch (err) {
    assert.ok(err instanceof OutboundRequestError, String(err));
    return err;
  }
  assert.fail(`${url} was fetched`);
}

function assertDiscreet(err: Error, ...secrets: string[]) {
  for (const secret of ['127.0.0.1', PUBLIC_ADDRESS, ...secrets]) assert.ok(!err.message.includes(secret), `"${err.message}" reveals ${secret}`);
}

describe('resolveTarget', () => {
  const literals: [string, OutboundFailure][] = [
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::]/', 'unspecified'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://10.0.0.1/', 'private'],
    ['http://100.64.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link_local'],
    ['http://172.16.0.1/', 'private'],
    ['http://192.0.0.1/', 'reserved'],
    ['http://192.0.2.1/', 'reserved'],
    ['http://192.88.99.1/', 'reserved'],
    ['http://192.168.0.1/', 'private'],
    ['http://198.18.0.1/', 'reserved'],
    ['http://198.51.100.1/', 'reserved'],
    ['http://203.0.113.1/', 'reserved'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://255.255.255.255/', 'reserved'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[::7f00:1]/', 'loopback'],
    ['http://[::ffff:0:7f00:1]/', 'loopback'],
    ['http://[64:ff9b::7f00:1]/', 'loopback'],
    ['http://[64:ff9b:1::1]/', 'reserved'],
    ['http://[2002:7f00:1::]/', 'loopback'],
    ['http://[2001::1]/', 'reserved'],
    ['http://[2001:db8::1]/', 'reserved'],
    ['http://[fe80::1]/', 'link_local'],
    ['http://[fec0::1]/', 'private'],
    ['http://[fd00::1]/', 'private'],
    ['http://[ff02::1]/', 'multicast'],
  ];
  for (const [url, reason] of literals) {
    it(`refuses ${url} as ${reason}`, async () => {
      await assert.rejects(resolveTarget(url, { allowPrivate: false }), (err) => err instanceof OutboundRequestError && err.reason === reason);
    });
  }

  it('refuses a name when any of its addresses is not public, without naming the address', async () => {
    for (const [address, reason] of [['::ffff:7f00:1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'link_local'], ['198.18.0.1', 'reserved']] as const) {
      const lookup = async () => [{ address: '8.8.8.8', family: 4 }, { address, family: address.includes(':') ? 6 : 4 }];
      const err: unknown = await resolveTarget('https://mixed.example/x', { allowPrivate: false, lookup, label: 'webhook' }).catch((e: unknown) => e);
      assert.ok(err instanceof OutboundRequestError);
      assert.equal(err.reason, reason);
      assert.match(err.message, /^webhook refused: host mixed\.example resolves to a [a-z-]+ address; use a public address, or set WAYGATE_WEBHOOK_ALLOW_PRIVATE=true/);
      assertDiscreet(err, address, '8.8.8.8');
    }
  });

  it('accepts public addresses and names, and skips the check when private targets are allowed', async () => {
    const lookup = async () => [{ address: PUBLIC_ADDRESS, family: 4 }, { address: '2606:4700::1111', family: 6 }];
    const target = await resolveTarget('https://hooks.example/x', { allowPrivate: false, lookup });
    assert.deepEqual(target.addresses, [{ address: PUBLIC_ADDRESS, family: 4 }, { address: '2606:4700::1111', family: 6 }]);
    assert.equal(target.hostname, 'hooks.example');
    assert.equal((await resolveTarget('http://[2606:4700::1111]:8080/', { allowPrivate: false })).hostname, '2606:4700::1111');
    assert.equal((await resolveTarget('http://127.0.0.1:9/', { allowPrivate: true })).addresses[0]?.address, '127.0.0.1');
  });

  it('refuses other schemes, even when private targets are allowed', async () => {
    await assert.rejects(resolveTarget('file:///etc/passwd', { allowPrivate: true }), { reason: 'unsupported_scheme' });
    await assert.rejects(resolveTarget('gopher://127.0.0.1/', { allowPrivate: true }), { reason: 'unsupported_scheme' });
  });
});

describe('safeFetch', () => {
  let origin: TestOrigin;
  before(async () => {
    origin = await TestOrigin.start({
      '/ok': (_, res) => res.end('fine'),
      '/echo': (req, res) => res.end(`${req.method} ${req.headers.host} ${req.headers.authorization ?? '-'}`),
      '/to-loopback': (_, res) => res.writeHead(302, { location: origin.loopbackUrl('/internal') }).end('moved: internal origin'),
      '/to-public': (_, res) => res.writeHead(302, { location: origin.publicUrl('/echo', 'cdn.example') }).end(),
      '/see-other': (_, res) => res.writeHead(303, { location: '/echo' }).end(),
      '/temporary': (_, res) => res.writeHead(307, { location: '/echo' }).end(),
      '/loop': (_, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/internal': (_, res) => res.end('internal secret'),
      '/slow': (_, res) => setTimeout(() => res.end('late'), 2_000).unref(),
      '/declared-big': (_, res) => res.writeHead(200, { 'content-length': '2048' }).end(Buffer.alloc(2048)),
      '/streamed-big': (_, res) => {
        res.writeHead(200);
        for (let i = 0; i < 8; i++) res.write(Buffer.alloc(256));
        res.end();
      },
    });
  });
  after(() => origin.stop());

  it('reaches a public name at the address it checked, with the Host header of the URL', async () => {
    const net = fakePublicNetwork();
    const response = await safeFetch(origin.publicUrl('/echo'), { allowPrivate: false, ...net, maxBodyBytes: 1024 });
    assert.equal(response.status, 200);
    assert.equal(response.body?.toString(), `GET public.example:${origin.port} -`);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);
  });

  it('resolves once: a rebinding answer (loopback on the second lookup) is never consulted', async () => {
    const net = fakePublicNetwork('127.0.0.1');
    const response = await safeFetch(origin.publicUrl('/ok'), { allowPrivate: false, ...net, maxBodyBytes: 1024 });
    assert.equal(response.body?.toString(), 'fine');
    assert.deepEqual(net.lookups, ['public.example']);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);

    // The next request checks again, sees the rebound answer, and never connects.
    const err = await failure(origin.publicUrl('/internal'), { allowPrivate: false, ...net });
    assert.equal(err.reason, 'loopback');
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS]);
    assert.ok(!origin.paths().includes('/internal'));
    assertDiscreet(err);
  });

  it('does not follow a redirect unless asked: the 3xx is the answer', async () => {
    const net = fakePublicNetwork();
    const response = await safeFetch(origin.publicUrl('/to-loopback'), { allowPrivate: false, ...net });
    assert.equal(response.status, 302);
    assert.equal(response.body, null);
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('checks every redirect hop: a hop to 127.0.0.1 is refused without revealing it or what answered', async () => {
    const net = fakePublicNetwork();
    const err = await failure(origin.publicUrl('/to-loopback'), { allowPrivate: false, ...net, maxRedirects: 3, label: 'picture URL' });
    assert.equal(err.reason, 'loopback');
    assert.equal(err.message, 'picture URL refused: it redirects to a host that is a loopback address; use a public address, or set WAYGATE_WEBHOOK_ALLOW_PRIVATE=true to allow private targets');
    assertDiscreet(err, 'internal', '/internal', '302');
    assert.ok(!origin.paths().includes('/internal'));
  });

  it('follows redirects to public hosts, each resolved once, dropping credentials across origins', async () => {
    const net = fakePublicNetwork();
    const response = await safeFetch(origin.publicUrl('/to-public'), {
      allowPrivate: false, ...net, maxRedirects: 1, maxBodyBytes: 1024, headers: { Authorization: 'Bearer secret' },
    });
    assert.equal(response.body?.toString(), `GET cdn.example:${origin.port} -`);
    assert.equal(response.url.href, origin.publicUrl('/echo', 'cdn.example'));
    assert.deepEqual(net.lookups, ['public.example', 'cdn.example']);
    assert.deepEqual(net.dialled, [PUBLIC_ADDRESS, PUBLIC_ADDRESS]);
  });

  it('continues a 303 as a GET and repeats the request on a 307', async () => {
    const options = { allowPrivate: true, maxRedirects: 1, maxBodyBytes: 1024, method: 'POST', body: 'x', headers: { Authorization: 'same-origin' } };
    assert.equal((await safeFetch(origin.loopbackUrl('/see-other'), options)).body?.toString(), `GET 127.0.0.1:${origin.port} same-origin`);
    assert.equal((await safeFetch(origin.loopbackUrl('/temporary'), options)).body?.toString(), `POST 127.0.0.1:${origin.port} same-origin`);
  });

  it('gives up after maxRedirects', async () => {
    const err = await failure(origin.loopbackUrl('/loop'), { allowPrivate: true, maxRedirects: 2 });
    assert.equal(err.reason, 'too_many_redirects');
  });

  it('enforces the deadline (name resolution included) and the caller signal', async () => {
    const slow = await failure(origin.loopbackUrl('/slow'), { allowPrivate: true, timeoutMs: 100, label: 'webhook' });
    assert.deepEqual([slow.reason, slow.message], ['timeout', 'webhook did not answer within 100 ms']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    assert.equal((await failure(origin.loopbackUrl('/slow'), { allowPrivate: true, signal: controller.signal })).reason, 'aborted');
    const hanging = async () => new Promise<never>(() => {});
    assert.equal((await failure('http://slow-dns.example/', { allowPrivate: false, lookup: hanging, timeoutMs: 50 })).reason, 'timeout');
  });

  it('caps the body, whether the size is declared or streamed', async () => {
    assert.equal((await failure(origin.loopbackUrl('/declared-big'), { allowPrivate: true, maxBodyBytes: 1024 })).reason, 'too_large');
    assert.equal((await failure(origin.loopbackUrl('/streamed-big'), { allowPrivate: true, maxBodyBytes: 1024 })).reason, 'too_large');
    assert.equal((await safeFetch(origin.loopbackUrl('/streamed-big'), { allowPrivate: true, maxBodyBytes: 2048 })).body?.length, 2048);
  });

  it('reports a connection failure by its code, not by the address it tried', async () => {
    const closed = await TestOrigin.start({});
    const url = closed.publicUrl('/');
    await closed.stop();
    const err = await failure(url, { allowPrivate: false, ...fakePublicNetwork(), label: 'webhook' });
    assert.deepEqual([err.reason, err.message], ['network', 'webhook could not be reached (ECONNREFUSED)']);
  });

  it('keeps TLS on the host name: SNI is the name, and the certificate is verified', async () => {
    const pems = await generate([{ name: 'commonName', value: 'public.example' }], { keySize: 2048 });
    const servernames: string[] = [];
    const context = createSecureContext({ key: pems.private, cert: pems.cert });
    const server = createTlsServer({ SNICallback: (name, done) => {
      servernames.push(name);
      done(null, context);
    } }, (_, res) => res.end('tls'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://public.example:${(server.address() as AddressInfo).port}/`;
      const err = await failure(url, { allowPrivate: false, ...fakePublicNetwork() });
      // Self-signed: refused by certificate validation, which therefore ran.
      assert.deepEqual([err.reason, err.message], ['network', 'URL could not be reached (DEPTH_ZERO_SELF_SIGNED_CERT)']);
      assert.deepEqual(servernames, ['public.example']);
    } finally {
      server.close();
    }
  });
});
