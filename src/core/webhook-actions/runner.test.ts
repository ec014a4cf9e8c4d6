import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionInput, ActionOutcome, MessageAction, MessageCommand } from '../messages/message-actions.js';
import type { SendInput, SendOutcome } from '../messages/message-sends.js';
import type { SessionCommand } from '../sessions/session-access.js';
import { planReply } from './plan.js';
import { runPlan, type ActionPorts, type ActionRecord } from './runner.js';
import { DEFAULT_LIMITS, type Plan } from './steps.js';

const delivered = { event: 'message_received', data: { chatId: '15550002222@s.whatsapp.net', messageId: 'IN1', text: 'price?' }, ts: 1, session: { id: 's1' } };
const CHAT = '15550002222@s.whatsapp.net';

/** Ports on a virtual clock: sleeping moves it forward at once; every call is logged with the time. */
class FakePorts implements ActionPorts {
  clock = 0;
  readonly calls: string[] = [];
  readonly sends: { command: SessionCommand; input: SendInput }[] = [];
  failActs = 0;
  failSendText: string | undefined;
  #ids = 0;

  async send(command: SessionCommand, input: SendInput): Promise<SendOutcome> {
    const text = input.content.type === 'text' ? input.content.text : input.content.type;
    this.calls.push(`${this.clock} send ${text}`);
    this.sends.push({ command, input });
    if (text === this.failSendText) throw new Error('not on WhatsApp: 15550002222; nothing was sent');
    const messageId = `OUT${++this.#ids}`;
    return { sessionId: 's1', phone: null, type: input.content.type, quotedId: null, forwarded: false, mentions: [], recipients: [{ chat: input.recipients[0]!, messageId, state: 'queued', timestamp: null }], replayed: false };
  }

  async act(command: MessageCommand, action: MessageAction, input: ActionInput): Promise<ActionOutcome> {
    this.calls.push(`${this.clock} ${action} ${command.messageId}${input.emoji ? ` ${input.emoji}` : ''}`);
    if (this.failActs > 0) {
      this.failActs -= 1;
      throw new Error('Session "s1" is not connected');
    }
    return { sessionId: 's1', phone: null, chat: command.chat ?? CHAT, messageId: command.messageId, action, actionMessageId: action === 'react' ? 'R1' : null };
  }

  async presence(_sessionId: string, state: string, chat?: string): Promise<void> {
    this.calls.push(`${this.clock} presence ${state}${chat ? ` ${chat}` : ''}`);
  }

  async sleep(ms: number): Promise<void> {
    this.clock += ms;
  }

  now = () => this.clock;
}

function planOf(body: unknown): Plan {
  return planReply(body, delivered, { limits: DEFAULT_LIMITS, recipient: (raw) => (raw.includes('@') ? raw : `${raw}@s.whatsapp.net`) })!;
}

async function run(body: unknown, ports = new FakePorts(), signal = new AbortController().signal) {
  const records: ActionRecord[] = [];
  await runPlan(planOf(body), { sessionId: 's1', eventId: 'E1', ports, limits: DEFAULT_LIMITS, signal, record: async (r) => void records.push(r) });
  const summary = records.map((r) => `${r.path} ${r.outcome}${r.error ? `: ${r.error}` : ''}`);
  return { ports, records, summary };
}

describe('running webhook reply actions', () => {
  it('sends as the session, async, with a key per event and entry, paced after message actions only', async () => {
    const { ports, records } = await run({
      actions: [{ type: 'text', text: 'one' }, { type: 'react', emoji: '👍' }, { type: 'text', text: 'two' }, { type: 'text', text: 'three' }]
    });
    assert.deepEqual(ports.calls, ['0 send one', '1200 react IN1 👍', '1200 send two', '2400 send three']);
    const [first] = ports.sends;
    assert.deepEqual(first!.command, { principal: { kind: 'session', sessionId: 's1' }, session: { sessionId: 's1' } });
    assert.deepEqual({ ...first!.input, fingerprint: typeof first!.input.fingerprint }, {
      recipients: [CHAT],
      content: { type: 'text', text: 'one' },
      async: true,
      idempotencyKey: 'webhook:E1:actions[0]',
      fingerprint: 'string'
    });
    assert.deepEqual(ports.sends.map((s) => s.input.idempotencyKey), ['webhook:E1:actions[0]', 'webhook:E1:actions[2]', 'webhook:E1:actions[3]']);
    assert.deepEqual(records.map((r) => [r.path, r.type, r.outcome, r.messageId]), [
      ['actions[0]', 'text', 'ok', 'OUT1'],
      ['actions[1]', 'react', 'ok', 'R1'],
      ['actions[2]', 'text', 'ok', 'OUT2'],
      ['actions[3]', 'text', 'ok', 'OUT3']
    ]);
  });

  it('gives the same request the same fingerprint, so a reply that comes again is answered from the first send', async () => {
    const body = { actions: [{ type: 'text', text: 'hello {{data.text}}' }] };
    const [a, b] = [(await run(body)).ports.sends[0]!.input, (await run(body)).ports.sends[0]!.input];
    assert.deepEqual([a.idempotencyKey, a.fingerprint], [b.idempotencyKey, b.fingerprint]);
  });

  it('records failures and invalid entries, and goes on', async () => {
    const ports = new FakePorts();
    ports.failSendText = 'one';
    const { summary } = await run({ actions: [{ type: 'text', text: 'one' }, { type: 'teleport' }, { type: 'text', text: 'two' }, { type: 'noop' }], delayMs: 0 }, ports);
    assert.deepEqual(summary, [
      'actions[0] failed: not on WhatsApp: 15550002222; nothing was sent',
      'actions[1] failed: unknown action type "teleport"',
      'actions[2] ok',
      'actions[3] ok'
    ]);
  });

  it('retries with a pause, then runs onFail when every attempt failed', async () => {
    const ports = new FakePorts();
    ports.failActs = 1;
    const retried = await run({ actions: [{ type: 'retry', item: { type: 'star' } }] }, ports);
    assert.deepEqual(retried.ports.calls, ['0 star IN1', '500 star IN1']);
    assert.deepEqual(retried.summary, ['actions[0].item failed: Session "s1" is not connected', 'actions[0].item ok']);

    const failing = new FakePorts();
    failing.failActs = 5;
    const gaveUp = await run({ actions: [{ type: 'retry', attempts: 2, delayMs: 100, item: { type: 'star' }, onFail: { type: 'text', text: 'sorry' } }] }, failing);
    assert.deepEqual(gaveUp.ports.calls, ['0 star IN1', '100 star IN1', '100 send sorry']);
    assert.deepEqual(gaveUp.summary.at(-1), 'actions[0].onFail ok');
  });

  it('runs the branch the condition picks, and queues with their own pacing', async () => {
    const { ports } = await run({
      actions: [
        { type: 'when', cond: '{{data.text}} contains price', then: [{ type: 'text', text: 'It is 5' }], else: [{ type: 'text', text: 'Hello' }] },
        { type: 'queue', delayMs: 50, items: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }
      ]
    });
    assert.deepEqual(ports.calls, ['0 send It is 5', '1200 send a', '1250 send b']);
  });

  it('shows typing during a delay', async () => {
    const { ports, summary } = await run({ actions: [{ type: 'delay', ms: 2000, state: 'typing' }, { type: 'text', text: 'done' }] });
    assert.deepEqual(ports.calls, [`0 presence composing ${CHAT}`, `2000 presence paused ${CHAT}`, '2000 send done']);
    assert.deepEqual(summary, ['actions[0] ok', 'actions[1] ok']);
  });

  it('starts everything in a parallel entry at once', async () => {
    const { ports } = await run({ actions: [{ type: 'parallel', items: [{ type: 'text', text: 'a' }, { type: 'typing' }, { type: 'text', text: 'b' }] }] });
    assert.deepEqual(ports.calls, ['0 send a', `0 presence composing ${CHAT}`, '0 send b']);
  });

  it('refuses what would run past 60 s, and everything after it', async () => {
    const { ports, summary } = await run({
      actions: [{ type: 'delay', seconds: 25 }, { type: 'delay', seconds: 25 }, { type: 'text', text: 'in time' }, { type: 'delay', seconds: 25 }, { type: 'text', text: 'late' }]
    });
    assert.deepEqual(ports.calls, ['50000 send in time']);
    assert.deepEqual(summary, [
      'actions[0] ok',
      'actions[1] ok',
      'actions[2] ok',
      "actions[3] refused: a delay of 25000 ms would run past the 60000 ms the reply's actions may take",
      "actions[4] refused: a delay of 25000 ms would run past the 60000 ms the reply's actions may take"
    ]);
  });

  it('records a plan refusal first, then runs what was planned', async () => {
    const texts = Array.from({ length: 21 }, (_, i) => ({ type: 'text', text: `m${i}` }));
    const { records } = await run({ actions: texts, delayMs: 0 });
    assert.equal(records.length, 21);
    assert.deepEqual(records[0], {
      path: 'actions[20]',
      type: '',
      outcome: 'refused',
      error: 'a reply runs at most 20 actions, nested ones included; this entry and every one after it were not run',
      messageId: null
    });
    assert.ok(records.slice(1).every((r) => r.outcome === 'ok'));
  });

  it('refuses what is left once the gateway stops', async () => {
    const stop = new AbortController();
    const ports = new FakePorts();
    ports.sleep = async () => {
      stop.abort();
    };
    const { summary } = await run({ actions: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, ports, stop.signal);
    assert.deepEqual(summary, ['actions[0] ok', 'actions[1] refused: the gateway stopped before this action']);
  });
});
