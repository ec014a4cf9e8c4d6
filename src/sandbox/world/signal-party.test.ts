// Two devices that start a Signal session with each other at once, then work through a backlog: the case where
// trying the wrong session used to step its ratchet (libsignal patch [trial-decryption-copy]). The gateway and
// the sandbox share this libsignal, so the crossing is checked here with two simulated parties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { injectSession } from '../routing/encrypt.js';
import { SignalParty } from './signal-party.js';

const ALICE = '111111111111111@lid';
const BOB = '222222222222222@lid';
const noLidLookup = async () => undefined;

const bytes = (text: string) => Buffer.from(text);
const text = (data: Uint8Array) => Buffer.from(data).toString();

async function send(from: SignalParty, to: string, body: string) {
  return from.repository.encryptMessage({ jid: to, data: bytes(body) });
}

async function receive(by: SignalParty, from: string, message: { type: 'pkmsg' | 'msg'; ciphertext: Uint8Array }): Promise<string> {
  return text(await by.repository.decryptMessage({ jid: from, type: message.type, ciphertext: message.ciphertext }));
}

test('sessions started by both sides at once keep decrypting after a backlog crosses them', async () => {
  const alice = new SignalParty(noLidLookup);
  const bob = new SignalParty(noLidLookup);
  await injectSession(bob, ALICE, await alice.takeBundle());
  await injectSession(alice, BOB, await bob.takeBundle());

  // Both open with a prekey message before either has heard from the other.
  const bobFirst = await send(bob, ALICE, 'bob 1');
  const aliceFirst = await send(alice, BOB, 'alice 1');
  assert.equal(bobFirst.type, 'pkmsg');
  assert.equal(aliceFirst.type, 'pkmsg');

  // Bob reads Alice's opener at once and answers on her session; Alice is behind and reads Bob's opener first.
  assert.equal(await receive(bob, ALICE, aliceFirst), 'alice 1');
  const bobOnAlices = await send(bob, ALICE, 'bob 2');
  assert.equal(await receive(alice, BOB, bobFirst), 'bob 1');
  // Alice's open session is now Bob's; this message belongs to her own (now closed) session.
  assert.equal(await receive(alice, BOB, bobOnAlices), 'bob 2');

  // What Alice sends next, on whichever session is open, still reaches Bob, and the conversation goes on.
  for (let i = 2; i <= 4; i++) {
    assert.equal(await receive(bob, ALICE, await send(alice, BOB, `alice ${i}`)), `alice ${i}`);
    assert.equal(await receive(alice, BOB, await send(bob, ALICE, `bob ${i + 1}`)), `bob ${i + 1}`);
  }
});
