import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { formatId, generateIds, validateId } from './ids.js';

const is400 = (err: unknown) => err instanceof GatewayError && err.status === 400;

describe('UUID and ULID', () => {
  it('generates each UUID version and validates it back', () => {
    for (const version of ['v1', 'v4', 'v6', 'v7']) {
      const { data } = generateIds({ version, count: 3 });
      assert.equal(new Set(data).size, 3);
      for (const id of data) assert.deepEqual([validateId(id).isValid, validateId(id).version], [true, version]);
    }
    assert.equal(generateIds({ version: '4' }).data.length, 1, 'a bare number is a version; no count is one');
    assert.equal(generateIds({ version: 'nil' }).data[0], '00000000-0000-0000-0000-000000000000');
    assert.equal(validateId(generateIds({ version: 'max' }).data[0]!).version, 'max');
  });

  it('derives v3 and v5 from namespace and name (RFC 9562 example)', () => {
    assert.equal(generateIds({ version: 'v5', namespace: 'dns', name: 'www.example.com' }).data[0], '2ed6657d-e927-568b-95e1-2665a8aea6a2');
    assert.equal(generateIds({ version: 'v3', namespace: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', name: 'www.example.com' }).data[0], '5df41881-3aed-3515-88a7-2f4a814cf09e');
    assert.throws(() => generateIds({ version: 'v5', name: 'x' }), /namespace and name are required/);
    assert.throws(() => generateIds({ version: 'v5', namespace: 'dns' }), /name is required/);
    assert.throws(() => generateIds({ version: 'v5', namespace: 'not-a-uuid', name: 'x' }), is400);
  });

  it('refuses an unknown version, type or count with 400', () => {
    assert.throws(() => generateIds({ version: 'v9' }), is400);
    assert.throws(() => generateIds({ type: 'guid' }), is400);
    assert.throws(() => generateIds({ count: 101 }), is400);
    assert.throws(() => generateIds({ count: 2.5 }), is400);
  });

  it('generates sorted ULIDs and reads their time', () => {
    const before = Date.now();
    const { data, version } = generateIds({ type: 'ulid', count: 5 });
    assert.equal(version, null);
    assert.deepEqual([...data].sort(), data, 'monotonic within one request');
    const checked = validateId(data[0]!);
    assert.equal(checked.type, 'ulid');
    assert.ok(checked.isValid && checked.timestamp! >= before - 1 && checked.timestamp! <= Date.now());
    assert.equal(validateId(data[0]!.toLowerCase(), 'ulid').normalized, data[0]);
  });

  it('formats ids with a mask or a keyword', () => {
    assert.equal(formatId('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'xxxx-xxxx', 'ulid'), '01AR-Z3ND');
    assert.equal(formatId('2ed6657d-e927-568b-95e1-2665a8aea6a2', 'compact', 'uuid'), '2ed6657de927568b95e12665a8aea6a2');
    assert.equal(formatId('2ed6657d-e927-568b-95e1-2665a8aea6a2', 'urn', 'uuid'), 'urn:uuid:2ed6657d-e927-568b-95e1-2665a8aea6a2');
    assert.throws(() => formatId('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'x'.repeat(27), 'ulid'), is400);
  });

  it('validates forms and rejects what is not an id', () => {
    assert.deepEqual(validateId('{2ED6657D-E927-568B-95E1-2665A8AEA6A2}'), { isValid: true, type: 'uuid', version: 'v5', normalized: '2ed6657d-e927-568b-95e1-2665a8aea6a2', timestamp: null });
    assert.equal(validateId('2ed6657d-e927-568b-95e1').isValid, false);
    assert.equal(validateId('01ARZ3NDEKTSV4RRFFQ69G5FAU', 'uuid').isValid, false);
    assert.equal(validateId('81ARZ3NDEKTSV4RRFFQ69G5FAV').isValid, false, 'a ULID time over 48 bits');
    const v7 = generateIds({ version: 'v7' }).data[0]!;
    assert.ok(Math.abs(validateId(v7).timestamp! - Date.now()) < 5000);
  });
});
