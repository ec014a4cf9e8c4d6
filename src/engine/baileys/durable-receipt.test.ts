// Durable before receipt, through the engine port against the sandbox: WhatsApp (the sender's phone) sees the
// delivery receipt of an inbound message only once the session's consumer has stored it; a consumer that
// cannot store it leaves it unreceipted, and WhatsApp delivers it again after the reconnect, with the same id.
// Without patches/baileys+7.0.0-rc14.patch, Baileys sends the receipt before the message reaches the consumer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineSession } from '../port.js';
import { EngineSandbox, type SessionProbe } from '../testing/engine-sandbox.js';

const ALICE = '15550070001';
const BOB = '15550070002';

/** The consumer's store, as the session sees it: stores succeed, wait, or fail, as the test says. */
class Consumer {
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  failNext = 0;
  calls = 0;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
    this.gate = Promise.resolve();
  }

  readonly durable = async (): Promise<void> => {
    this.calls += 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('the database is unreachable');
    }
    await this.gate;
  };
}

let net: EngineSandbox;
let alice: EngineSession;
let probe: SessionProbe;
const consumer = new Consumer();

before(async () => {
  net = await EngineSandbox.start();
  await net.account(BOB);
  ({ session: alice, probe } = await net.linked(ALICE, undefined, {}, { durable: consumer.durable }));
  // The phone's first-login traffic (history sync, app-state keys) goes through the consumer too: let it pass.
  await settle(1500);
});
after(async () => {
  await alice.stop();
  await net.stop();
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
interface Recorded {
  direction: 'in' | 'out';
  stanza: { tag: string; attrs: Record<string, string> };
}
/**
 * Delivery receipts our companion device sent WhatsApp for message `id` (the phone's own are not stanzas); a
 * client that is not marked online sends them as `inactive`.
 */
const receiptsSent = async (id: string) => {
  const { stanzas } = await net.ok<{ stanzas: Recorded[] }>('GET', `/sandbox/v1/stanzas?device=${ALICE}&limit=20000`);
  return stanzas.filter((e) => e.direction === 'in' && e.stanza.tag === 'receipt' && e.stanza.attrs.id === id && [undefined, 'inactive'].includes(e.stanza.attrs.type)).length;
};
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await settle(50);
  }
}

test('the sender gets the delivery receipt only once the consumer has stored the message', async () => {
  consumer.hold();
  const from = probe.mark();
  const { id } = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'store me first' });
  await probe.waitFor('message', (m) => m.id === id, { from });
  await settle(500);
  assert.equal(await receiptsSent(id), 0, 'no receipt while the consumer has not stored it');
  consumer.open();
  await eventually(async () => (await receiptsSent(id)) === 1, 'the delivery receipt');
});

test('a consumer that cannot store it: no receipt, the connection is dropped, and the message comes again', async () => {
  consumer.failNext = 1;
  const from = probe.mark();
  const { id } = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'again, please' });
  await probe.waitFor('status', (s) => s.status === 'RECONNECTING', { from });
  await probe.waitFor('status', (s) => s.status === 'WORKING', { from });
  await eventually(async () => (await receiptsSent(id)) === 1, 'the delivery receipt after the redelivery');
  const copies = probe.seen.slice(from).filter((e) => e.event === 'message' && e.payload.id === id);
  assert.equal(copies.length, 2, 'emitted once before the failure and once on redelivery, with the same id');
});

test('a reaction (reported as message_reaction, not as a message) is receipted only once stored, too', async () => {
  const from = probe.mark();
  const { id } = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text: 'react to this' });
  await probe.waitFor('message', (m) => m.id === id, { from });
  consumer.hold();
  const reaction = await net.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, reaction: { messageId: id, emoji: '👍' } });
  await probe.waitFor('message_reaction', (r) => r.id === reaction.id, { from });
  await settle(500);
  assert.equal(await receiptsSent(reaction.id), 0, 'no receipt while the consumer has not stored it');
  consumer.open();
  await eventually(async () => (await receiptsSent(reaction.id)) === 1, 'the delivery receipt');
});
