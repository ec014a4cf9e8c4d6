// JID normalisation of command arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineInvalidArgumentError } from '../errors.js';
import { bareJid, chatJid, groupJid, userJid, userJids } from './jids.js';

test('user JIDs: digits, +digits, @c.us, devices and LIDs are normalised; anything else is refused', () => {
  assert.equal(userJid('15550001111'), '15550001111@s.whatsapp.net');
  assert.equal(userJid('+15550001111'), '15550001111@s.whatsapp.net');
  assert.equal(userJid('15550001111@c.us'), '15550001111@s.whatsapp.net');
  assert.equal(userJid('15550001111:3@s.whatsapp.net'), '15550001111@s.whatsapp.net');
  assert.equal(userJid('24954045615232:1@lid'), '24954045615232@lid');
  for (const bad of ['', 'bob', '123', '120363@g.us', 'x@s.whatsapp.net']) assert.throws(() => userJid(bad), EngineInvalidArgumentError, bad);
  assert.throws(() => userJids([], 'participants'), EngineInvalidArgumentError);
});

test('group JIDs and chats', () => {
  assert.equal(groupJid('120363012345678901'), '120363012345678901@g.us');
  assert.equal(groupJid('120363012345678901@g.us'), '120363012345678901@g.us');
  assert.equal(groupJid('15550001111-1600000000@g.us'), '15550001111-1600000000@g.us');
  assert.throws(() => groupJid('15550001111@s.whatsapp.net'), EngineInvalidArgumentError);
  assert.equal(chatJid('120363012345678901@g.us'), '120363012345678901@g.us');
  assert.equal(chatJid('15550001111'), '15550001111@s.whatsapp.net');
  assert.equal(bareJid('15550001111:2@s.whatsapp.net'), '15550001111@s.whatsapp.net');
  assert.equal(bareJid(undefined), '');
});
