import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSandbox } from './index.js';
import { control, eventually, linkedClient, pn, upsertOf, useSandbox } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';

const ALICE = '15550707001';
const BOB = '15550707002';
const bobJid = pn(BOB);
// Baileys holds events for up to 20 s after a first login unless the phone's history notification arrives.
const HISTORY_WAIT_MS = 20_000;

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice'], [ALICE, 'Alice']] });
let sb: RunningSandbox;
let alice1: RawClient;
let alice2: RawClient;
before(async () => ({ sb, clients: [alice1, alice2] } = await fixture.ready));

test('buffered events flush right after linking, far below the 20 s history wait', async () => {
  for (const client of [alice1, alice2]) {
    const at = (event: string, match: (data: any) => boolean) => client.events.find((e) => e.event === event && match(e.data))?.at;
    const open = at('connection.update', (u) => u.connection === 'open')!;
    const pending = await eventually(() => at('connection.update', (u) => u.receivedPendingNotifications === true), 'receivedPendingNotifications');
    const flushed = await eventually(() => at('messaging-history.set', () => true), 'the history flush');
    const synced = await eventually(() => at('creds.update', (u) => u.accountSyncCounter === 1), 'the initial sync to finish');
    assert.ok(pending - open < 5_000, `pending notifications after ${pending - open} ms`);
    assert.ok(flushed - open < 5_000 && synced - open < 5_000, `flushed ${flushed - open} ms, synced ${synced - open} ms after open (Baileys would wait ${HISTORY_WAIT_MS} ms)`);
  }
});

test("chat modifications are stored and another companion of the account resyncs them after server_sync", async () => {
  const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'something to archive' });
  const { message } = await upsertOf(alice1, sent.body.id);
  const lastMessages = [{ key: message.key, messageTimestamp: message.messageTimestamp }];
  const chatUpdate = (match: (u: any) => boolean) => alice2.next('chats.update', (updates) => updates.some((u) => u.id === bobJid && match(u)));

  let seen: Promise<unknown> = chatUpdate((u) => u.archived === true);
  await alice1.sock!.chatModify({ archive: true, lastMessages }, bobJid);
  await seen;
  seen = chatUpdate((u) => typeof u.pinned === 'number');
  await alice1.sock!.chatModify({ pin: true }, bobJid);
  await seen;
  const muteUntil = Date.now() + 3_600_000;
  seen = chatUpdate((u) => Number(u.muteEndTime) === muteUntil);
  await alice1.sock!.chatModify({ mute: muteUntil }, bobJid);
  await seen;
  seen = chatUpdate((u) => u.unreadCount === 0);
  await alice1.sock!.chatModify({ markRead: true, lastMessages }, bobJid);
  await seen;
  seen = alice2.next('messages.update', (updates) => updates.some((u) => u.key.id === message.key.id && u.update.starred === true));
  await alice1.sock!.chatModify({ star: { messages: [{ id: message.key.id!, fromMe: false }], star: true } }, bobJid);
  await seen;
  seen = alice2.next('chats.delete', (ids) => ids.includes(bobJid));
  await alice1.sock!.chatModify({ delete: true, lastMessages }, bobJid);
  await seen;
  const stored = sb.network.accounts.get(ALICE)!.appState;
  assert.equal(stored.get('regular_low')?.length, 4);
  assert.equal(stored.get('regular_high')?.length, 2);
  // The phone reads them with the key it shared: the companions encrypt with its bytes, not just alike.
  const read = sb.network.accounts.get(ALICE)!.appStateMutations.map((m) => m.index[0]);
  assert.deepEqual(read, ['archive', 'pin_v1', 'mute', 'markChatAsRead', 'star', 'deleteChat']);

  // A companion linked now gets every patch in one batch at its initial sync; its next patch only verifies
  // at the others if it rebuilt the same state from that batch.
  const alice3 = await linkedClient(sb, ALICE, 'Alice');
  try {
    await alice3.waitFor('creds.update', (u) => u.accountSyncCounter === 1);
    seen = chatUpdate((u) => u.archived === false);
    await alice3.sock!.chatModify({ archive: false, lastMessages }, bobJid);
    await seen;
  } finally {
    alice3.stop();
  }
});

test('a push-name change travels by app state to the other companion and reaches the account', async () => {
  const renamed = alice2.next('creds.update', (u) => u.me?.name === 'Alice B');
  await alice1.sock!.updateProfileName('Alice B');
  await renamed;
  await eventually(() => sb.network.accounts.get(ALICE)!.name === 'Alice B', 'the account name from <presence name>');
});
