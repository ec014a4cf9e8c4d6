import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonBytes } from './json-bytes.js';

describe('jsonBytes', () => {
  it('is the text JSON.stringify makes, as UTF-8, long lists included', () => {
    const items = Array.from({ length: 1234 }, (_, i) => ({ id: `s-${i}`, me: i % 3 ? null : { name: `Zoë ${i} 😀`, lid: undefined }, at: new Date(i), skip: () => i }));
    const values: unknown[] = [
      { status: true, code: 1000, message: 'OK', results: [{ items }] },
      [items, [undefined, () => 1, Symbol('s'), 1n === 1n]],
      Object.assign(Object.create(null), { big: items.slice(0, 101), none: undefined }),
      { withToJSON: { toJSON: () => ['custom'] } },
      'text',
      42,
      null,
      [],
      {},
    ];
    for (const value of values) assert.equal(jsonBytes(value).toString('utf8'), JSON.stringify(value));
  });
});
