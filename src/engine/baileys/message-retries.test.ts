// Retry receipts: a phone that could not decrypt a message asks the sender's devices for it again. A session
// answers from its socket's recent messages while it has them, and from the store (storedMessage) after a restart;
// the phone then has the message a second time, as it was sent.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionProbe, type EngineSandbox } from '../testing/engine-sandbox.js';
import { MemoryAuthStore } from '../testing/memory-auth-store.js';
import { eventually, sandboxPhones } from '../testing/sandbox-phones.js';
import type { MessageKey, OutboundContent } from '../types.js';
import { useEngineSandbox } from '../../../test/support/engine-fixture.js';

const ALICE = '15550030001';
const BOB = '15550030002';
const CAROL = '15550030003';
const DAVE = '15550030004';

const fixture = useEngineSandbox({ accounts: [BOB, CAROL, DAVE], linked: ALICE });
let net: EngineSandbox;
before(async () => ({ net } = await fixture.ready));
const { ids } = fixture;
const { inbox, phoneSends, atPhone, messageStanzas } = sandboxPhones(() => net);

/** `phone` could not decrypt message `id` from `sender`: its retry receipt asks the sender's devices to send it again. */
function askToSendAgain(phone: string, sender: string, id: string): void {
  const { network } = net.sandbox;
  const account = network.accounts.resolve(ids[sender]!.jid)!.account;
  const t = String(Math.floor(Date.now() / 1000));
  network.deliverToCompanions(account, () => ({
    tag: 'receipt',
    attrs: { from: ids[phone]!.jid, id, type: 'retry', t },
    content: [{ tag: 'retry', attrs: { count: '1', id, t, v: '1' } }]
  }));
}

/** A consumer's message store: `raw` by message id, and every key it was asked for. */
function messageStore() {
  const stored = new Map<string, unknown>();
  const lookups: MessageKey[] = [];
  const storedMessage = async (key: MessageKey) => {
    lookups.push(key);
    return stored.get(key.id) ?? null;
  };
  return { stored, lookups, storedMessage };
}

test("a retry receipt for a message sent a moment ago is answered from the socket's recent messages, with the message as sent", async () => {
  const lookups: MessageKey[] = [];
  const storedMessage = async (key: MessageKey) => {
    lookups.push(key);
    return null;
  };
  const linked = await net.linked(DAVE, new MemoryAuthStore(), {}, { storedMessage });
  try {
    const sent = await linked.session.messages.send(CAROL, { type: 'text', text: 'Sent once, asked for again' }, { id: linked.session.messages.newMessageId(), mentions: [ids[BOB]!.jid] });
    await atPhone(CAROL, sent.id);
    askToSendAgain(CAROL, DAVE, sent.id);
    const again = await eventually(async () => {
      const copy = (await inbox(CAROL)).find((m) => m.id === sent.id);
      return copy && copy.copies >= 2 ? copy : undefined;
    });
    assert.equal(again.text, 'Sent once, asked for again');
    assert.deepEqual(again.message.extendedTextMessage?.contextInfo?.mentionedJid, [ids[BOB]!.jid]);
    assert.equal(lookups.filter((key) => key.id === sent.id).length, 0, 'the store was not asked: the socket still had it');
  } finally {
    await linked.session.stop();
  }
});

test("past the socket's bound of sent messages a retry receipt is answered from the store", async () => {
  const { stored, lookups, storedMessage } = messageStore();
  const linked = await net.linked(DAVE, new MemoryAuthStore(), { recentMessageLimit: 0, sentRetryCacheLimit: 2 }, { storedMessage });
  try {
    const send = async (text: string) => {
      const sent = await linked.session.messages.send(CAROL, { type: 'text', text }, { id: linked.session.messages.newMessageId() });
      stored.set(sent.id, JSON.parse(JSON.stringify(sent.raw)));
      await atPhone(CAROL, sent.id);
      return sent;
    };
    // Two after it: answering the retry puts the message back in the socket's cache, pushing out the middle one.
    const older = await send('Sent first, pushed out of the socket by the next two');
    await send('Sent second');
    const newer = await send('Sent last, still in the socket');

    askToSendAgain(CAROL, DAVE, older.id);
    const again = await eventually(async () => {
      const copy = (await inbox(CAROL)).find((m) => m.id === older.id);
      return copy && copy.copies >= 2 ? copy : undefined;
    });
    assert.equal(again.text, 'Sent first, pushed out of the socket by the next two');
    assert.ok(lookups.some((key) => key.id === older.id && key.fromMe), 'the store was asked for the older message');

    askToSendAgain(CAROL, DAVE, newer.id);
    await eventually(async () => ((await inbox(CAROL)).find((m) => m.id === newer.id)?.copies ?? 0) >= 2 ? true : undefined);
    assert.equal(lookups.filter((key) => key.id === newer.id).length, 0, 'the store was not asked for the last one: the socket had it');
  } finally {
    await linked.session.stop();
  }
});

test('a restarted session finds its earlier messages through storedMessage: for a retry receipt and for a poll vote', async () => {
  const { stored, lookups, storedMessage } = messageStore();
  const auth = new MemoryAuthStore();
  const first = await net.linked(DAVE, auth, {}, { storedMessage });
  const sendAndStore = async (content: OutboundContent) => {
    const sent = await first.session.messages.send(BOB, content, { id: first.session.messages.newMessageId() });
    stored.set(sent.id, JSON.parse(JSON.stringify(sent.raw)));
    await atPhone(BOB, sent.id);
    return sent;
  };
  const text = await sendAndStore({ type: 'text', text: 'Could you read this?' });
  const poll = await sendAndStore({ type: 'poll', name: 'Meet when?', options: ['Mon', 'Tue'], selectableCount: 1 });
  await first.session.stop();

  // A new session object has no recent messages in memory (nor has its socket a retry cache): only the store knows them.
  const again = net.session(auth, {}, 's-dave-again', { storedMessage });
  const watch = new SessionProbe(again);
  await again.start();
  await watch.status('WORKING');
  try {
    askToSendAgain(BOB, DAVE, text.id);
    await eventually(async () => (lookups.some((key) => key.id === text.id && key.chat === ids[BOB]!.jid && key.fromMe) ? true : undefined));
    await eventually(async () => ((await messageStanzas(DAVE, text.id)) >= 2 ? true : undefined));

    await phoneSends(BOB, { to: DAVE, pollVote: { messageId: poll.id, options: ['Tue'] } });
    const vote = await watch.waitFor('poll_vote', (v) => v.pollId === poll.id);
    assert.deepEqual(vote.options, ['Tue']);
    assert.ok(lookups.some((key) => key.id === poll.id && key.chat === ids[BOB]!.jid && key.fromMe), 'storedMessage was asked for the poll');
  } finally {
    await again.stop();
  }
});
