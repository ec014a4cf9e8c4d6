import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryAllocator } from './memory-allocator.js';

test('a preloaded jemalloc is recognised in the memory map', () => {
  const maps = '7f2c1a400000-7f2c1a42a000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n';
  assert.equal(memoryAllocator(maps), 'jemalloc');
});

test('anything else is the default allocator, as is a system without /proc', () => {
  assert.equal(memoryAllocator('7f2c1a400000-7f2c1a42a000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n'), 'default');
  assert.equal(memoryAllocator(null), 'default');
});
