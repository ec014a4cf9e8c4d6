import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryAllocator } from './memory-allocator.js';

const jemallocMaps = '7f2c1a400000-7f2c1a42a000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n';
const glibcMaps = '7f2c1a400000-7f2c1a42a000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n';

test('a preloaded jemalloc is recognised in the memory map, whatever MALLOC_ARENA_MAX says', () => {
  assert.equal(memoryAllocator(jemallocMaps, undefined), 'jemalloc');
  assert.equal(memoryAllocator(jemallocMaps, '2'), 'jemalloc');
});

test('anything else is the default allocator, as is a system without /proc', () => {
  assert.equal(memoryAllocator(glibcMaps, undefined), 'default');
  assert.equal(memoryAllocator(null, undefined), 'default');
});

test('the default allocator names the arena cap it was started with', () => {
  assert.equal(memoryAllocator(glibcMaps, '2'), 'default, MALLOC_ARENA_MAX=2');
  assert.equal(memoryAllocator(glibcMaps, ''), 'default');
});
