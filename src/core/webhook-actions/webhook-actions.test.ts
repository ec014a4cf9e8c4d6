import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveredEvent } from '../../events/deliver.js';
import { appendEvent } from '../../events/outbox.js';
import type { Store } from '../../store/open-database.js';
import { listDeliveries, type WebhookDelivery } from '../../store/repos/webhook-deliveries.js';
import { openTestStore, seedSession } from '../../store/testing.js';
import type { SendInput, SendOutcome } from '../messages/message-sends.js';
import { WebhookActions } from './webhook-actions.js';

describe('webhook actions of a session', () => {
  let store: Store;
  const sent: string[] = [];
  let actions: WebhookActions;

  async function delivered(text: string): Promise<[WebhookDelivery, DeliveredEvent]> {
    const data = { chatId: '15550002222@s.whatsapp.net', messageId: `IN-${text}`, text, sessionId: 's1' };
    const eventId = await appendEvent(store.db, { sessionId: 's1', event: 'message.received', payload: data });
    const [delivery] = await listDeliveries(store.db, { eventId, limit: 1 });
    return [delivery!, { id: eventId, body: { event: 'message_received', data, ts: 1, session: { id: 's1', label: '', registry: '', username: '' } } }];
  }

  const logOf = async (delivery: WebhookDelivery) => (await actions.withActions([delivery]))[0]!.actions.map((a) => `${a.path} ${a.outcome}${a.error ? `: ${a.error}` : ''}`);

  before(async () => {
    store = await openTestStore('sqlite');
    await seedSession(store.db, 's1', { webhookUrl: 'http://hook.test/' });
    actions = new WebhookActions({
      db: store.db,
      ports: {
        send: async (_command, input: SendInput): Promise<SendOutcome> => {
          sent.push(input.content.type === 'text' ? input.content.text : input.content.type);
          return { sessionId: 's1', phone: null, type: 'text', quotedId: null, forwarded: false, mentions: [], recipients: [], replayed: false };
        },
        act: async () => assert.fail('no operation expected'),
        presence: async () => {},
        sleep: (ms, signal) => sleep(ms, undefined, { signal }),
        now: Date.now
      },
      recipient: (raw) => raw,
      logger: { warn: () => {}, error: () => {} }
    });
  });
  after(() => store.close());

  it('runs one reply’s actions after another’s, in the order the replies came', async () => {
    const [first, firstEvent] = await delivered('a');
    const [second, secondEvent] = await delivered('b');
    actions.onReply(first, firstEvent, 200, { actions: [{ type: 'delay', ms: 100 }, { type: 'text', text: 'answer to {{data.text}}' }] });
    actions.onReply(second, secondEvent, 200, { actions: [{ type: 'text', text: 'answer to {{data.text}}' }] });
    await sleep(300);
    assert.deepEqual(sent, ['answer to a', 'answer to b']);
    assert.deepEqual(await logOf(first), ['actions[0] ok', 'actions[1] ok']);
  });

  it('ignores replies that ask for nothing', async () => {
    const [delivery, event] = await delivered('c');
    actions.onReply(delivery, event, 200, { ok: true });
    await sleep(20);
    assert.deepEqual(await logOf(delivery), []);
  });

  it('on stop, cuts the waits short, refuses what is left, and runs no later reply', async () => {
    const [running, runningEvent] = await delivered('d');
    actions.onReply(running, runningEvent, 200, { actions: [{ type: 'delay', seconds: 20 }, { type: 'text', text: 'never' }] });
    await sleep(20);
    const stoppedAt = Date.now();
    await actions.stop();
    assert.ok(Date.now() - stoppedAt < 1_000);
    assert.deepEqual(await logOf(running), ['actions[0] ok', 'actions[1] refused: the gateway stopped before this action']);

    const [late, lateEvent] = await delivered('e');
    actions.onReply(late, lateEvent, 200, { actions: [{ type: 'text', text: 'never' }] });
    await sleep(20);
    assert.deepEqual(await logOf(late), ['actions refused: the gateway is stopping; no actions were run']);
    assert.ok(!sent.includes('never'));
  });
});
