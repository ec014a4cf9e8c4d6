// Chat changes between the gateway and another companion of the same account: a raw Baileys client linked as
// the account's second device sees archive, pin and mute made through the HTTP API (its own app-state resync
// emitting chats.update), and the gateway stores the same changes made on that device and reports them as
// chat_update. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatUpdate } from 'baileys';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { RawClient, trustSandbox } from '../support/raw-client.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15557790001';
const BOB = '15557790002';
const CAROL = '15557790003';
const SESSION = 'second-companion-alice';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const CAROL_JID = `${CAROL}@s.whatsapp.net`;

/** Links a raw Baileys client as another device of `phone` and waits until its initial app-state sync is done. */
async function linkCompanion(sb: TestSandbox, phone: string): Promise<RawClient> {
  trustSandbox(sb.sandbox.rootPublicKey);
  const client = new RawClient(sb.sandbox.wsUrl);
  client.start();
  await sb.ok('POST', `/sandbox/v1/accounts/${phone}/link`, { qr: await client.waitForQr() });
  await client.waitForOpen();
  await client.waitFor('creds.update', (u) => u.accountSyncCounter === 1);
  return client;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: a second companion of the account`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let companion: RawClient;
    const receiver = new WebhookReceiver('second-companion-secret');

    const post = (path: string, body: Record<string, unknown> = {}) => gw.request('POST', `/api/v1${path}`, { body: { sessionId: SESSION, ...body } });
    const chatOf = async (jid: string) => {
      const answer = await gw.request('GET', `/api/v1/chats?sessionId=${SESSION}&limit=500`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return (answer.body.results[0].data as any[]).find((c) => c.jid === jid);
    };
    const companionUpdate = (jid: string, match: (update: ChatUpdate) => boolean) =>
      companion.next('chats.update', (updates) => updates.some((u) => u.id === jid && match(u)));

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      await receiver.start();
      for (const phone of [BOB, CAROL]) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
      companion = await linkCompanion(sb, ALICE);
      for (const phone of [BOB, CAROL]) await sb.ok('POST', `/sandbox/v1/accounts/${phone}/messages`, { to: ALICE, text: `hello from ${phone}` });
      for (const jid of [BOB_JID, CAROL_JID]) await eventually(() => chatOf(jid), { what: `${jid} in GET /chats` });
    });

    after(async () => {
      companion?.stop();
      await gw?.stop();
      await receiver.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('archive, pin and mute made through the API reach the other companion as chats.update', async () => {
      let seen: Promise<unknown> = companionUpdate(BOB_JID, (u) => u.archived === true);
      const archived = await post('/messages/action/archive', { to: BOB });
      assert.equal(archived.status, 200, JSON.stringify(archived.body));
      await seen;

      seen = companionUpdate(BOB_JID, (u) => typeof u.pinned === 'number' && u.pinned > 0);
      const pinned = await post(`/chats/${BOB}/pin`, { pin: true });
      assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
      await seen;

      const muted = await post('/messages/action/mute', { to: BOB, duration: 120 });
      assert.equal(muted.status, 200, JSON.stringify(muted.body));
      const mutedUntil = muted.body.results[0].mutedUntil as number;
      await companion.waitFor('chats.update', (updates) => updates.some((u) => u.id === BOB_JID && Number(u.muteEndTime) === mutedUntil));
    });

    test('archive, pin and mute made on the other companion reach GET /chats and chat_update', async () => {
      const { messages } = await companion.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.remoteJid === CAROL_JID));
      const last = messages.find((m) => m.key.remoteJid === CAROL_JID)!;
      const mutedUntil = Date.now() + 3_600_000;
      await companion.sock!.chatModify({ archive: true, lastMessages: [{ key: last.key, messageTimestamp: last.messageTimestamp }] }, CAROL_JID);
      await companion.sock!.chatModify({ pin: true }, CAROL_JID);
      await companion.sock!.chatModify({ mute: mutedUntil }, CAROL_JID);

      const carol = await eventually(async () => {
        const chat = await chatOf(CAROL_JID);
        return chat?.archived && chat.pinned && chat.muted ? chat : undefined;
      }, { what: 'the companion’s archive, pin and mute in GET /chats' });
      assert.equal(carol.mutedUntil, mutedUntil);
      const events = await eventually(() => {
        const found = receiver.events('chat_update').filter((e) => e.body.data.chatId === CAROL_JID && e.body.data.source === 'phone');
        const changed = new Set(found.flatMap((e) => Object.keys(e.body.data.changes)));
        return ['archived', 'pinned', 'muted'].every((key) => changed.has(key)) ? found : undefined;
      }, { what: 'chat_update webhooks for the companion’s changes' });
      assert.ok(events.every((e) => e.signatureValid));
      assert.ok(events.some((e) => e.body.data.changes.archived === true));
    });
  });
}
