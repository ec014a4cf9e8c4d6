import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreKeyShelf } from './pre-key-shelf.js';

const key = (keyId: number, fill = keyId, length = 32) => ({ keyId, publicKey: Buffer.alloc(length, fill) });

describe('PreKeyShelf', () => {
  it('hands out the uploaded keys oldest first, each once, then none', () => {
    const shelf = new PreKeyShelf();
    shelf.add([key(1), key(2)]);
    shelf.add([key(3, 3, 33)]);
    assert.equal(shelf.size, 3);
    assert.deepEqual(shelf.take(), key(1));
    assert.deepEqual(shelf.take(), key(2));
    assert.deepEqual(shelf.take(), key(3, 3, 33));
    assert.equal(shelf.take(), undefined);
    assert.equal(shelf.size, 0);
  });

  it('keeps its order across uploads made while keys are being taken', () => {
    const shelf = new PreKeyShelf();
    shelf.add(Array.from({ length: 812 }, (_, i) => key(i + 1, i % 256)));
    const taken = Array.from({ length: 700 }, () => shelf.take()!.keyId);
    assert.deepEqual(taken, Array.from({ length: 700 }, (_, i) => i + 1));
    shelf.add([key(2000, 7)]);
    assert.equal(shelf.size, 113);
    const rest = Array.from({ length: 113 }, () => shelf.take()!);
    assert.deepEqual(rest.map((k) => k.keyId), [...Array.from({ length: 112 }, (_, i) => i + 701), 2000]);
    assert.deepEqual(rest.at(-1), key(2000, 7));
  });

  it('replaces a key uploaded again under the same id in its place', () => {
    const shelf = new PreKeyShelf();
    shelf.add([key(1), key(2)]);
    shelf.add([key(2, 9), key(3), key(3, 8)]);
    assert.equal(shelf.size, 3);
    assert.deepEqual([shelf.take(), shelf.take(), shelf.take()], [key(1), key(2, 9), key(3, 8)]);
  });

  it('refuses a key longer than a Curve25519 public key', () => {
    const shelf = new PreKeyShelf();
    assert.throws(() => shelf.add([key(1), key(2, 2, 34)]), /1–33 bytes, got 34/);
    assert.equal(shelf.size, 0);
  });
});
