import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { hash, HASH_ALGORITHMS, hashAlgorithm, hmac } from './hashing.js';

describe('crypto hash and HMAC', () => {
  it('digests the well-known vectors', () => {
    const abc = Buffer.from('abc');
    assert.equal(hash(abc, 'md5').data, '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(hash(abc, 'sha1').data, 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(hash(abc).data, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hash(abc, 'SHA-512').data.slice(0, 16), 'ddaf35a193617aba');
    assert.equal(hash(abc, 'sha3_256').data, '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
    assert.equal(hash(Buffer.from(''), 'sha256', 'base64').data, '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    assert.deepEqual(hash(abc, 'sha256', 'base64url').meta, { algo: 'sha256', output: 'base64url', inputSize: 3 });
  });

  it('computes the RFC 4231 HMAC-SHA256/384/512 vectors', () => {
    // test case 2: key "Jefe", data "what do ya want for nothing?"
    const key = Buffer.from('Jefe');
    const data = Buffer.from('what do ya want for nothing?');
    assert.equal(hmac(key, data, 'sha256').data, '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    assert.equal(hmac(key, data, 'sha384').data, 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649');
    assert.equal(hmac(key, data, 'sha512').data.slice(0, 32), '164b7a7bfcf819e2e395fbe73b56e0a3');
    // test case 1: key 20 × 0x0b, data "Hi There"
    assert.equal(hmac(Buffer.alloc(20, 0x0b), Buffer.from('Hi There'), 'sha256').data, 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    assert.equal(hmac(Buffer.from('key'), Buffer.from('The quick brown fox jumps over the lazy dog'), 'md5').data, '80070713463e7749b90c2dc24911e275');
  });

  it('refuses an unknown algorithm or encoding with a 400 naming the allowed ones', () => {
    assert.ok(['md5', 'sha1', 'sha256', 'sha384', 'sha512'].every((name) => HASH_ALGORITHMS.includes(name)));
    assert.throws(() => hashAlgorithm('whirlpool9'), (err: unknown) => err instanceof GatewayError && err.status === 400 && /md5, sha1, sha224, sha256/.test(err.message));
    assert.throws(() => hash(Buffer.from('x'), 'sha256', 'ascii85'), /hex, base64, base64url or binary/);
  });
});
