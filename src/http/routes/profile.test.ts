import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGatewayError } from '../../core/errors.js';
import { readCheckNumbers } from './profile.js';

const phones = { defaultCountryCode: '49' };
const read = (checkNumbers: unknown, where: 'query' | 'body' = 'query') => readCheckNumbers({ [where]: { checkNumbers } }, phones);

test('checkNumbers: CSV, JSON-array text, arrays, JIDs and national numbers; de-duplicated with the first spelling', () => {
  assert.deepEqual(read('4915123456789, 0151 23456789;+4915199999999\n4915123456789@c.us'), [
    { input: '4915123456789', pn: '4915123456789@s.whatsapp.net' },
    { input: '+4915199999999', pn: '4915199999999@s.whatsapp.net' }
  ]);
  assert.deepEqual(read('["4915100000001", 4915100000002]').map((n) => n.pn), ['4915100000001@s.whatsapp.net', '4915100000002@s.whatsapp.net']);
  assert.deepEqual(read([4915100000001, '4915100000002@s.whatsapp.net'], 'body').map((n) => n.input), ['4915100000001', '4915100000002@s.whatsapp.net']);
  assert.deepEqual(readCheckNumbers({ query: { numbers: '004915100000001' } }, phones)[0]!.pn, '4915100000001@s.whatsapp.net');
});

test('checkNumbers: what is not a phone number is a 400 naming the entry', () => {
  const refused = (value: unknown, code: string, pattern: RegExp) =>
    assert.throws(() => read(value), (err: unknown) => isGatewayError(err) && err.code === code && pattern.test(err.message));
  refused('4915100000001,abc', 'INVALID_PARAMETER', /checkNumbers\[1\] "abc" has no digits/);
  refused('123456789012345@lid', 'INVALID_PARAMETER', /is a LID/);
  refused('120363000000000000@g.us', 'INVALID_PARAMETER', /is a group/);
  refused('12345', 'INVALID_PARAMETER', /6 to 15 digits/);
  refused([{ n: 1 }], 'INVALID_PARAMETER', /must be a phone number/);
  refused('', 'MISSING_PARAMETER', /checkNumbers is required/);
  refused(' , ;', 'MISSING_PARAMETER', /checkNumbers is required/);
  assert.throws(() => readCheckNumbers({ query: { checkNumbers: '015112345678' } }, {}), /starts with 0/);
});
