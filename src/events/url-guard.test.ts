import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertWebhookUrlAllowed, WebhookUrlNotAllowedError, type UrlRefusalReason } from './url-guard.js';

const publicOnly = { allowPrivate: false };

async function refusal(url: string, options: Parameters<typeof assertWebhookUrlAllowed>[1] = publicOnly) {
  try {
    await assertWebhookUrlAllowed(url, options);
  } catch (err) {
    assert.ok(err instanceof WebhookUrlNotAllowedError);
    return err.reason;
  }
  return undefined;
}

describe('assertWebhookUrlAllowed', () => {
  it('accepts public http and https addresses', async () => {
    assert.equal(await refusal('https://93.184.215.14/hook'), undefined);
    assert.equal(await refusal('http://[2606:4700::1111]:8080/x'), undefined);
    const lookup = async () => [{ address: '8.8.8.8', family: 4 }];
    assert.equal(await refusal('https://hooks.example.com/x', { allowPrivate: false, lookup }), undefined);
  });

  it('refuses other schemes and malformed URLs, even when private targets are allowed', async () => {
    assert.equal(await refusal('ftp://example.com/', { allowPrivate: true }), 'unsupported_scheme');
    assert.equal(await refusal('file:///etc/passwd', { allowPrivate: true }), 'unsupported_scheme');
    assert.equal(await refusal('not a url', { allowPrivate: true }), 'invalid_url');
  });

  const cases: [string, UrlRefusalReason][] = [
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1.2.3:9000/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'private'],
    ['http://[fd12::1]/', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link_local'],
    ['http://[fe80::1]/', 'link_local'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'reserved'],
  ];
  for (const [url, reason] of cases) {
    it(`refuses ${url} as ${reason}`, async () => {
      assert.equal(await refusal(url), reason);
    });
  }

  it('allows neighbours of the private ranges', async () => {
    assert.equal(await refusal('http://172.32.0.1/'), undefined);
    assert.equal(await refusal('http://100.128.0.1/'), undefined);
    assert.equal(await refusal('http://11.0.0.1/'), undefined);
  });

  it('resolves host names and refuses when any address is internal', async () => {
    assert.equal(await refusal('http://localhost:3000/'), 'loopback');
    const mixed = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    assert.equal(await refusal('https://rebind.example/', { allowPrivate: false, lookup: mixed }), 'private');
  });

  it('refuses names that do not resolve, with a message naming the host', async () => {
    const failing = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await assert.rejects(
      assertWebhookUrlAllowed('https://nowhere.invalid/x', { allowPrivate: false, lookup: failing }),
      (err: unknown) => err instanceof WebhookUrlNotAllowedError && err.reason === 'unresolvable' && /nowhere\.invalid/.test(err.message),
    );
  });

  it('allows internal targets when told to', async () => {
    assert.equal(await refusal('http://127.0.0.1:8080/hook', { allowPrivate: true }), undefined);
    assert.equal(await refusal('http://10.0.0.1/', { allowPrivate: true }), undefined);
  });
});
