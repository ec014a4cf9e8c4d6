// A chat's Signal session under stress, SQLite and PostgreSQL.
// One chat busy in both directions at once: the session sends 150 texts to a phone while that phone sends 150
// back. Sending and decrypting both step the same Signal session, both sides start a session at once, and the
// first message from a contact teaches the engine their LID; each message must still decrypt on the other side,
// exactly once. Three faults lost messages here, all fixed in patches/: one Signal transaction at a time, decrypt
// under the LID just learned, and (libsignal) a failed try on the wrong session must not step that session's
// ratchet. The last one showed only on PostgreSQL, where the gateway works through a backlog of the phone's
// messages after its own session has crossed the phone's.
// Then the phone loses its sessions (as a phone restored without them): it asks for what it cannot decrypt
// again, as WhatsApp clients do, and the session answers until a fresh session gets each message through.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';

const ALICE = '15553340001';
const BOB = '15553340011';
const SESSION = 'both-ways';
const PER_DIRECTION = 150;

for (const dialect of DIALECTS) {
  describe(`${dialect}: one chat's Signal session under stress`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
    });

    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test(`${PER_DIRECTION} texts each way: all decrypted on the other side, once`, async () => {
      const sent: string[] = [];
      const received: string[] = [];
      await Promise.all([
        (async () => {
          for (let i = 0; i < PER_DIRECTION; i++) {
            const answer = await gw.request('POST', '/api/v1/messages/send/text?async=true', { body: { sessionId: SESSION, to: BOB, message: `out#${i}` } });
            assert.equal(answer.status, 202, JSON.stringify(answer.body));
            sent.push(answer.body.results[0].messageId);
          }
        })(),
        (async () => {
          for (let i = 0; i < PER_DIRECTION; i++) {
            const answer = (await sb.ok('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: `in#${i}` })) as { id: string };
            received.push(answer.id);
          }
        })()
      ]);

      const atBob = await eventually(async () => {
        const { messages } = (await sb.ok('GET', `/sandbox/v1/accounts/${BOB}/messages?from=${ALICE}`)) as { messages: { id: string; text: string; copies: number }[] };
        return messages.length >= PER_DIRECTION ? messages : undefined;
      }, { timeoutMs: 60_000, what: `${PER_DIRECTION} texts decrypted by the phone` });
      assert.deepEqual(atBob.map((m) => m.id).sort(), [...sent].sort());
      assert.deepEqual(atBob.map((m) => m.text), sent.map((_, i) => `out#${i}`), 'in the order sent');
      assert.ok(atBob.every((m) => m.copies === 1), 'each sent once');

      for (const [i, id] of received.entries()) {
        const stored = await eventually(async () => {
          const answer = await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`);
          return answer.status === 200 ? answer.body.results[0] : undefined;
        }, { timeoutMs: 30_000, what: `inbound ${id} stored` });
        assert.equal(stored.text, `in#${i}`, `inbound #${i} decrypted`);
      }
    });

    test('a phone asking again for a message ten sends back gets it as sent: from the store, which is all that keeps it', async () => {
      // With WAYGATE_MESSAGE_RETENTION=full (the default) the session keeps no messages of its own in memory and
      // Baileys only its last 8 sends: the store alone can answer for the first of these ten.
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const answer = await gw.request('POST', '/api/v1/messages/send/text', { body: { sessionId: SESSION, to: BOB, message: `earlier#${i}` } });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        ids.push(answer.body.results[0].messageId);
      }
      const atBob = async (id: string) => ((await sb.ok('GET', `/sandbox/v1/accounts/${BOB}/messages?from=${ALICE}`)) as { messages: { id: string; text: string; copies: number }[] }).messages.find((m) => m.id === id);
      await eventually(async () => ((await atBob(ids[9]!)) ? true : undefined), { timeoutMs: 30_000, what: 'the tenth text at the phone' });

      await sb.ok('POST', '/sandbox/v1/faults', { type: 'ask-again', phone: BOB, messageId: ids[0] });
      const again = await eventually(async () => {
        const message = await atBob(ids[0]!);
        return message && message.copies >= 2 ? message : undefined;
      }, { timeoutMs: 30_000, what: 'the first text sent again' });
      assert.equal(again.text, 'earlier#0');
      assert.equal(again.copies, 2);
    });

    test('messages sent after the phone lost its sessions arrive, each once, and report delivered', async () => {
      await sb.ok('POST', '/sandbox/v1/faults', { type: 'forget-sessions', phone: BOB });
      const ids: string[] = [];
      for (const text of ['after 1', 'after 2']) {
        const answer = await gw.request('POST', '/api/v1/messages/send/text', { body: { sessionId: SESSION, to: BOB, message: text } });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        ids.push(answer.body.results[0].messageId);
      }
      for (const [i, id] of ids.entries()) {
        const atBob = await eventually(async () => {
          const { messages } = (await sb.ok('GET', `/sandbox/v1/accounts/${BOB}/messages?from=${ALICE}`)) as { messages: { id: string; text: string; copies: number }[] };
          return messages.find((m) => m.id === id);
        }, { timeoutMs: 30_000, what: `${BOB} decrypts ${id}` });
        assert.equal(atBob.text, `after ${i + 1}`);
        assert.equal(atBob.copies, 1);
      }
      type Recorded = { direction: string; stanza: { tag: string; attrs: Record<string, string> } };
      const recorded = await sb.ok<{ stanzas: Recorded[] }>('GET', `/sandbox/v1/stanzas?device=${ALICE}&limit=20000`);
      const retries = recorded.stanzas.filter(({ direction, stanza }) => direction === 'out' && stanza.tag === 'receipt' && stanza.attrs.type === 'retry' && stanza.attrs.id === ids[0]);
      assert.ok(retries.length >= 1, 'the phone asked for the first message again');
      for (const id of ids) {
        await eventually(async () => {
          const stored = await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`);
          return ['delivered', 'read'].includes(stored.body.results?.[0]?.status) ? true : undefined;
        }, { what: `${id} delivered` });
      }
    });
  });
}
