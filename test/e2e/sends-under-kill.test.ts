// The durable send queue across a SIGKILL: 300 sends accepted with ?async=true (each with an Idempotency-Key, so a
// request whose answer the kill swallowed is retried without a second message), the gateway killed while the paced
// queue is still sending, restarted: every accepted message reaches the recipient phone exactly once, by id, with
// the same id it was accepted with. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DIALECTS, GatewayProcess, TestDatabase, TestSandbox, eventually, gatewayEnv, linkSession, sessionStatus } from '../support/gateway-harness.js';

const ALICE = '15556660001';
const BOB = '15556660002';
const SESSION = 'queue-kill';
const TOTAL = 300;
const BEFORE_KILL = 200;

for (const dialect of DIALECTS) {
  describe(`${dialect}: sends under SIGKILL`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gateway: GatewayProcess | undefined;
    const adminKey = `admin-${randomBytes(12).toString('hex')}`;

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
    });
    after(async () => {
      await gateway?.kill('SIGTERM');
      await sb.sandbox.stop();
      await db.dispose();
    });

    /** Sends message `i` until the gateway answers; the same key makes a retry return the first answer. */
    async function accept(i: number): Promise<string> {
      for (;;) {
        try {
          const answer = await gateway!.request('POST', '/api/v1/messages/send/text?async=true', {
            body: { sessionId: SESSION, to: BOB, message: `queued-${i}` },
            headers: { 'idempotency-key': `kill-${dialect}-${i}` }
          });
          if (answer.status === 202) return answer.body.results[0].messageId as string;
          throw new Error(`send ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
        } catch (err) {
          if (!(err instanceof TypeError)) throw err; // fetch failed: the gateway is down; retry once it is back
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    test(`${TOTAL} async sends, SIGKILL mid-way: each reaches the phone exactly once with its accepted id`, async () => {
      // Paced, so the kill lands while most accepted messages are still queued and one is in flight.
      const env = gatewayEnv(db, sb, adminKey, { WAYGATE_SEND_INTERVAL_MS: '15' });
      gateway = await GatewayProcess.start(env, adminKey);
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(gateway, sb, SESSION, ALICE, 'Alice');

      const accepted = new Map<number, string>();
      for (let i = 0; i < BEFORE_KILL; i++) accepted.set(i, await accept(i));
      const inbox = async () => (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages.filter((m) => !m.fromMe && String(m.text ?? '').startsWith('queued-'));
      await eventually(async () => ((await inbox()).length >= 20 ? true : undefined), { what: 'the queue sending' });

      await gateway.kill('SIGKILL');
      const atKill = (await inbox()).length;
      assert.ok(atKill < BEFORE_KILL, `the kill came while sends were still queued (${atKill} of ${BEFORE_KILL} delivered)`);
      gateway = await GatewayProcess.start(env, adminKey);
      await eventually(async () => ((await sessionStatus(gateway!, SESSION)) === 'WORKING' ? true : undefined), { timeoutMs: 30_000, what: 'resume' });
      for (let i = BEFORE_KILL; i < TOTAL; i++) accepted.set(i, await accept(i));

      const delivered = await eventually(async () => {
        const messages = await inbox();
        return new Set(messages.map((m) => m.id)).size >= TOTAL ? messages : undefined;
      }, { timeoutMs: 60_000, what: `all ${TOTAL} messages at the phone` });

      const byId = new Map(delivered.map((m) => [m.id as string, m]));
      for (const [i, id] of accepted) {
        const message = byId.get(id);
        assert.ok(message, `message ${i} (${id}) reached the phone`);
        assert.equal(message.text, `queued-${i}`);
      }
      assert.equal(delivered.length, TOTAL, 'no message shown twice');
      // A resend of the message in flight at the kill reuses its id: the phone keeps one copy and counts the second.
      const resent = delivered.filter((m) => (m.copies ?? 1) > 1);
      assert.ok(resent.length <= 1, `at most the one in-flight message was resent (${resent.map((m) => m.id).join(', ')})`);
      // Order per chat holds: the phone received them in acceptance order.
      const order = delivered.map((m) => Number(String(m.text).slice('queued-'.length)));
      assert.deepEqual(order, [...order].sort((a, b) => a - b));
    });
  });
}
