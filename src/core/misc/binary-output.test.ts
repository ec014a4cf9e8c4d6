import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Input, deliverDecoded, encodeBase64 } from './base64.js';
import { bytesFrom, decodeBase64, deliver, outputMode } from './binary-output.js';

describe('base64 and byte inputs', () => {
  it('decodes strict base64 in both alphabets, padded or not', () => {
    assert.equal(decodeBase64('aGVsbG8=')?.toString(), 'hello');
    assert.equal(decodeBase64('aGVsbG8')?.toString(), 'hello');
    assert.equal(decodeBase64('aGVs\nbG8=')?.toString(), 'hello');
    assert.deepEqual(decodeBase64('-_8'), Buffer.from([0xfb, 0xff]));
    for (const bad of ['aGVsbG8*', 'a', 'aGVsbG8==', 'aGV=sbG8', 'a+b_']) assert.equal(decodeBase64(bad), undefined, bad);
  });

  it('refuses malformed base64 input with a 400 that names the problem', () => {
    assert.throws(() => decodeBase64Input('not base64!'), (err: any) => err.status === 400 && /contains "!"/.test(err.message));
    assert.throws(() => decodeBase64Input('data:text/plain,hello'), /not base64/);
    assert.deepEqual(decodeBase64Input('data:image/png;base64,iVBORw=='), { bytes: Buffer.from('iVBORw==', 'base64'), declaredMime: 'image/png' });
  });

  it('answers decoded text as text and binary as a data URL', () => {
    assert.deepEqual(deliverDecoded(Buffer.from('hi'), undefined, 'application/octet-stream'), { data: 'hi', meta: { mode: 'string', mimeType: 'text/plain', size: 2 } });
    assert.equal(deliverDecoded(Buffer.from([0xff, 0xfe]), undefined, 'application/octet-stream').data, 'data:application/octet-stream;base64,//4=');
    assert.throws(() => deliver(Buffer.from([0xff]), 'string', 'image/png'), /not UTF-8 text/);
  });

  it('encodes to base64, base64url or a data URL', () => {
    assert.equal(encodeBase64(Buffer.from('hello?>'), undefined, 'text/plain').data, 'aGVsbG8/Pg==');
    assert.equal(encodeBase64(Buffer.from('hello?>'), 'base64url', 'text/plain').data, 'aGVsbG8_Pg');
    assert.equal(encodeBase64(Buffer.from('x'), 'file', 'text/plain').data, 'data:text/plain;base64,eA==');
  });

  it('reads bytes as webhooks carry them', () => {
    assert.deepEqual(bytesFrom('AQID'), Buffer.from([1, 2, 3]));
    assert.deepEqual(bytesFrom({ type: 'Buffer', data: [1, 2, 3] }), Buffer.from([1, 2, 3]));
    assert.deepEqual(bytesFrom({ 0: 1, 1: 2, 2: 3 }), Buffer.from([1, 2, 3]));
    assert.deepEqual(bytesFrom([1, 2, 3]), Buffer.from([1, 2, 3]));
    assert.deepEqual(bytesFrom('00ff', { hexLength: 2 }), Buffer.from([0, 255]));
    assert.equal(bytesFrom([1, 256]), undefined);
    assert.equal(outputMode('dataUrl'), 'dataurl');
    assert.throws(() => outputMode('pdf'), /base64, dataurl or string/);
  });
});
