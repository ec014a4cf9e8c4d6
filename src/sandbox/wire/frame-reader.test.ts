import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader } from './frame-reader.js';

const intro = Buffer.from([0x57, 0x41, 0x06, 0x03]);
const frame = (payload: Buffer) => Buffer.concat([Buffer.from([0, (payload.length >> 8) & 0xff, payload.length & 0xff]), payload]);

test('frames split across chunks and several per chunk come out whole and in order', () => {
  const reader = new FrameReader();
  const bytes = Buffer.concat([intro, frame(Buffer.from('one')), frame(Buffer.from('two')), frame(Buffer.from('three'))]);
  const out = [...reader.push(bytes.subarray(0, 6)), ...reader.push(bytes.subarray(6, 13)), ...reader.push(bytes.subarray(13))];
  assert.deepEqual(out.map(String), ['one', 'two', 'three']);
});

test('the routing-info prefix before the intro header is skipped', () => {
  const reader = new FrameReader();
  const routing = Buffer.from([0x45, 0x44, 0, 1, 0, 0, 2, 9, 9]);
  assert.deepEqual(reader.push(Buffer.concat([routing, intro, frame(Buffer.from('x'))])).map(String), ['x']);
});

test('a wrong intro header and an oversized frame are protocol errors', () => {
  assert.throws(() => new FrameReader().push(Buffer.from([1, 2, 3, 4, 0, 0, 1, 0])), /bad intro header/);
  const reader = new FrameReader(10);
  assert.throws(() => reader.push(Buffer.concat([intro, Buffer.from([0, 0, 11])])), /exceeds/);
});
