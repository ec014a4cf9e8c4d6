import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proto } from 'baileys';
import { RecentMessages } from './recent-messages.js';

const poll = (name: string): proto.IMessage => ({
  pollCreationMessageV3: { name, options: [{ optionName: 'yes' }, { optionName: 'no' }], selectableOptionsCount: 1 },
  messageContextInfo: { messageSecret: new Uint8Array(32).fill(7) },
});

test('a remembered message comes back with the same content, secret included', () => {
  const recent = new RecentMessages(4);
  recent.remember('A1', poll('lunch?'));
  recent.remember('A2', { extendedTextMessage: { text: 'see you', contextInfo: { stanzaId: 'A1', participant: '1@s.whatsapp.net' } } });
  const found = recent.find('A1');
  assert.deepEqual(proto.Message.toObject(proto.Message.fromObject(found!)), proto.Message.toObject(proto.Message.fromObject(poll('lunch?'))));
  assert.deepEqual(Buffer.from(found!.messageContextInfo!.messageSecret!), Buffer.alloc(32, 7));
  assert.equal(recent.find('A2')?.extendedTextMessage?.contextInfo?.stanzaId, 'A1');
  assert.equal(recent.find('unknown'), undefined);
});

test('it keeps the most recent ones up to its limit', () => {
  const recent = new RecentMessages(2);
  for (const id of ['1', '2', '3']) recent.remember(id, { conversation: `text ${id}` });
  assert.equal(recent.find('1'), undefined);
  assert.equal(recent.find('2')?.conversation, 'text 2');
  assert.equal(recent.find('3')?.conversation, 'text 3');
});

test('a message without content is not kept', () => {
  const recent = new RecentMessages(2);
  recent.remember('1', null);
  assert.equal(recent.find('1'), undefined);
});

test('with a limit of 0 nothing is kept (the store has every message)', () => {
  const recent = new RecentMessages(0);
  recent.remember('1', { conversation: 'text 1' });
  assert.equal(recent.find('1'), undefined);
});
