import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import { ON_WHATSAPP_BATCH, OnWhatsAppCache } from './on-whatsapp.js';

const pn = (digits: string) => `${digits}@s.whatsapp.net`;

test('positive answers are cached per session with their LID; negative ones are asked again', async () => {
  const engine = new FakeEngineSession();
  engine.registered.add('15550000002');
  engine.lids.set('15550000002', '200000000000002@lid');
  const cache = new OnWhatsAppCache();
  const first = await cache.check('s1', engine, [pn('15550000002'), pn('15550000009')]);
  assert.deepEqual(first, [
    { pn: pn('15550000002'), exists: true, jid: pn('15550000002'), lid: '200000000000002@lid', cached: false },
    { pn: pn('15550000009'), exists: false, jid: null, lid: null, cached: false }
  ]);
  const again = await cache.check('s1', engine, [pn('15550000002'), pn('15550000009')]);
  assert.deepEqual(again.map((a) => [a.exists, a.cached]), [[true, true], [false, false]]);
  assert.equal(engine.calls('contacts.onWhatsApp'), 2, 'the second call asked only about the unknown number');
  await cache.check('s2', engine, [pn('15550000002')]);
  assert.equal(engine.calls('contacts.onWhatsApp'), 3, 'another session asks for itself');
});

test('large lists go out in batches, answers in the order asked, duplicates asked once', async () => {
  const engine = new FakeEngineSession();
  const numbers = Array.from({ length: ON_WHATSAPP_BATCH * 2 + 5 }, (_, i) => pn(String(15550100000 + i)));
  numbers.filter((_, i) => i % 2 === 0).forEach((jid) => engine.registered.add(jid.split('@')[0]!));
  const answers = await new OnWhatsAppCache().check('s', engine, [...numbers, numbers[0]!]);
  assert.equal(engine.calls('contacts.onWhatsApp'), 3);
  assert.equal(answers.length, numbers.length + 1);
  assert.deepEqual(answers.slice(0, 4).map((a) => a.exists), [true, false, true, false]);
  assert.equal(answers.at(-1)!.pn, numbers[0]);
});

test('a failure reaches the caller and caches nothing', async () => {
  const engine = new FakeEngineSession();
  engine.registered.add('15550000002');
  engine.failNext('contacts.onWhatsApp', 408);
  const cache = new OnWhatsAppCache();
  await assert.rejects(cache.check('s', engine, [pn('15550000002')]));
  assert.equal((await cache.check('s', engine, [pn('15550000002')]))[0]!.cached, false);
});
