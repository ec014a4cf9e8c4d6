// The dispatcher's side of webhook response actions (WARest §6.1.5): a 2xx JSON reply of the session's webhook
// is handed over once the delivery is recorded, its actions run beside the lanes, and their outcomes are logged.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SendInput, SendOutcome } from '../core/messages/message-sends.js';
import type { ActionPorts } from '../core/webhook-actions/runner.js';
import { WebhookActions } from '../core/webhook-actions/webhook-actions.js';
import type { Store } from '../store/open-database.js';
import { updateSession } from '../store/repos/sessions.js';
import { listDeliveries, type WebhookDelivery } from '../store/repos/webhook-deliveries.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../store/testing.js';
import type { DeliveredEvent } from './deliver.js';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
import { appendEvent } from './outbox.js';
import { eventually } from './test-receiver.js';

interface Answer {
  status?: number;
  contentType?: string;
  body?: string;
}

/** A webhook receiver that answers each request with a body. */
async function replyingReceiver(answer: (index: number) => Answer): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server: Server = createServer(async (req, res) => {
    for await (const _ of req);
    const { status = 200, contentType = 'application/json', body = '' } = answer(state.requests++);
    res.writeHead(status, { 'content-type': contentType }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
}

class FakeSends {
  readonly texts: string[] = [];
  readonly keys: (string | undefined)[] = [];

  send = async (_command: unknown, input: SendInput): Promise<SendOutcome> => {
    this.texts.push(input.content.type === 'text' ? input.content.text : input.content.type);
    this.keys.push(input.idempotencyKey);
    const chat = input.recipients[0]!;
    return { sessionId: 's1', phone: null, type: 'text', quotedId: null, forwarded: false, mentions: [], recipients: [{ chat, messageId: `OUT${this.texts.length}`, state: 'queued', timestamp: null }], replayed: false };
  };
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: webhook replies`, () => {
    let store: Store;
    let dispatcher: WebhookDispatcher | undefined;
    let actions: WebhookActions | undefined;
    let receiver: Awaited<ReturnType<typeof replyingReceiver>> | undefined;

    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => {
      await dispatcher?.stop();
      await actions?.stop();
      await receiver?.close();
      await store.close();
      [dispatcher, actions, receiver] = [undefined, undefined, undefined];
    });

    function start(options: Partial<DispatcherOptions>): void {
      dispatcher = new WebhookDispatcher({ db: store.db, allowPrivate: true, timeoutMs: 1_000, pollIntervalMs: 50, backoffBaseMs: 20, backoffCapMs: 80, ...options });
      dispatcher.start();
    }

    function startActions(sends: FakeSends, sleepFor: ActionPorts['sleep'] = async () => {}): WebhookActions {
      actions = new WebhookActions({
        db: store.db,
        ports: {
          send: sends.send,
          act: async () => assert.fail('no operation expected'),
          presence: async () => {},
          sleep: sleepFor,
          now: Date.now
        },
        recipient: (raw) => (raw.includes('@') ? raw : `${raw}@s.whatsapp.net`),
        logger: { warn: () => {}, error: () => {} }
      });
      return actions;
    }

    const deliveryOf = async (eventId: string) => (await listDeliveries(store.db, { eventId, limit: 1 }))[0]!;
    const append = (text: string) =>
      appendEvent(store.db, { sessionId: 's1', event: 'message.received', payload: { chatId: '15550002222@s.whatsapp.net', messageId: 'IN1', text } });

    it('hands over a 2xx JSON reply with the event as delivered, and logs the outcome of its actions', async () => {
      receiver = await replyingReceiver(() => ({
        body: JSON.stringify({ greeting: 'Hi', actions: [{ type: 'text', text: '{{greeting}}, you said {{data.text}}' }, { type: 'teleport' }] })
      }));
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      const sends = new FakeSends();
      const webhookActions = startActions(sends);
      const handed: [WebhookDelivery, DeliveredEvent, number, unknown][] = [];
      start({ onReply: (...args) => (handed.push(args), webhookActions.onReply(...args)) });
      const eventId = await append('hello');

      await eventually(async () => (await webhookActions.withActions([await deliveryOf(eventId)]))[0]!.actions.length === 2);
      const [delivery, event, status, body] = handed[0]!;
      assert.deepEqual([delivery.eventId, event.id, event.body.event, event.body.data.text, event.body.data.sessionId, status], [eventId, eventId, 'message_received', 'hello', 's1', 200]);
      assert.equal((body as { greeting: string }).greeting, 'Hi');
      assert.deepEqual(sends.texts, ['Hi, you said hello']);
      assert.deepEqual(sends.keys, [`webhook:${eventId}:actions[0]`]);

      const [listed] = await webhookActions.withActions([await deliveryOf(eventId)]);
      assert.equal(listed!.state, 'delivered');
      assert.deepEqual(
        listed!.actions.map(({ path, type, outcome, error, messageId }) => ({ path, type, outcome, error, messageId })),
        [
          { path: 'actions[0]', type: 'text', outcome: 'ok', error: null, messageId: 'OUT1' },
          { path: 'actions[1]', type: 'teleport', outcome: 'failed', error: 'unknown action type "teleport"', messageId: null }
        ]
      );
    });

    it('obeys only 2xx JSON replies within 64 KB from the session’s configured URL, and delivers either way', async () => {
      const actionsBody = JSON.stringify({ actions: [{ type: 'text', text: 'no' }] });
      const answers: Answer[] = [
        { contentType: 'text/plain', body: actionsBody },
        { status: 400, body: actionsBody },
        { contentType: 'text/html', body: 'x'.repeat(200_000) },
        { body: JSON.stringify({ actions: [{ type: 'text', text: 'y'.repeat(70_000) }] }) },
        { body: '{"actions": [' },
        { body: actionsBody }
      ];
      receiver = await replyingReceiver((index) => answers[index]!);
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      const sends = new FakeSends();
      const webhookActions = startActions(sends);
      let handedOver = 0;
      start({ onReply: (...args) => (handedOver++, webhookActions.onReply(...args)) });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await append(`m${i}`));
      await eventually(async () => (await deliveryOf(ids[4]!)).state === 'delivered');
      // Queued for the old URL, answered from there after the session moved to another one.
      await dispatcher!.stop();
      ids.push(await append('moved'));
      await updateSession(store.db, 's1', { webhookUrl: 'http://127.0.0.1:9/elsewhere' });
      start({ onReply: (...args) => (handedOver++, webhookActions.onReply(...args)) });
      await eventually(async () => (await deliveryOf(ids[5]!)).state === 'delivered');
      await sleep(50);

      assert.deepEqual(
        await Promise.all(ids.map(async (id) => (await deliveryOf(id)).state)),
        ['delivered', 'failed', 'delivered', 'delivered', 'delivered', 'delivered']
      );
      assert.equal(handedOver, 0);
      assert.deepEqual(sends.texts, []);
    });

    it('runs the actions beside the lane: later events are delivered meanwhile', async () => {
      let index = 0;
      receiver = await replyingReceiver(() => (index++ === 0 ? { body: JSON.stringify({ actions: [{ type: 'delay', ms: 500 }, { type: 'text', text: 'late' }] }) } : {}));
      await seedSession(store.db, 's1', { webhookUrl: receiver.url });
      const sends = new FakeSends();
      const webhookActions = startActions(sends, (ms, signal) => sleep(ms, undefined, { signal }));
      start({ onReply: webhookActions.onReply });
      const first = await append('first');
      const second = await append('second');

      await eventually(async () => (await deliveryOf(second)).state === 'delivered');
      assert.deepEqual(sends.texts, [], 'the second event went out while the first reply’s delay ran');
      await eventually(() => sends.texts.length === 1);
      const [listed] = await webhookActions.withActions([await deliveryOf(first)]);
      assert.deepEqual(listed!.actions.map((a) => `${a.path} ${a.outcome}`), ['actions[0] ok', 'actions[1] ok']);
    });
  });
}
