import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planReply } from './plan.js';
import { DEFAULT_LIMITS, type Plan, type Step } from './steps.js';

const delivered = {
  event: 'message_received',
  data: { chatId: '15550002222@s.whatsapp.net', messageId: 'IN1', text: 'price?', sender: { pn: '15550002222' }, sessionId: 's1' },
  ts: 1,
  session: { id: 's1', label: '', registry: '', username: '' }
};

function recipient(raw: string): string {
  if (raw === 'nobody') throw new Error('to "nobody" has no digits');
  return raw.includes('@') ? raw : `${raw.replace(/\D/g, '')}@s.whatsapp.net`;
}

const plan = (body: unknown, limits = DEFAULT_LIMITS) => planReply(body, delivered, { limits, recipient }) as Plan;
const only = (actions: unknown[]) => plan({ actions }).steps;

describe('planning webhook reply actions', () => {
  it('plans nothing for a reply without actions', () => {
    assert.equal(planReply({ ok: true }, delivered, { limits: DEFAULT_LIMITS, recipient }), undefined);
    assert.equal(planReply('fine', delivered, { limits: DEFAULT_LIMITS, recipient }), undefined);
  });

  it('maps message entries onto send drafts, answering in the event’s chat by default', () => {
    const steps = only([
      { type: 'text', text: 'Hi {{data.sender.pn}}, re {{data.text}}' },
      { type: 'media', mediaType: 'image', url: 'https://x.test/a.jpg', caption: 'c', to: '+1 555 000 3333' },
      { type: 'media', url: 'https://x.test/clip' },
      { type: 'document', url: 'https://x.test/a.pdf', filename: 'a.pdf' },
      { type: 'location', lat: '52.5', lng: 13.4, name: 'Office' },
      { type: 'sticker', imageUrl: 'https://x.test/s.png' },
      { type: 'vcard', contact: { name: 'Ada', phone: '15550004444' } },
      { type: 'poll', question: 'When?', options: 'Mon, Tue' },
      { type: 'button', text: 'Pick', buttons: [{ text: 'Yes', id: 'y' }, { displayText: 'Site', url: 'https://x.test' }] },
      { type: 'list', text: 'Menu', list: { buttonText: 'Open', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'One' }] }] } },
      { type: 'text', text: 'quoted', replyTo: '{{data.messageId}}' }
    ]);
    assert.ok(steps.every((step) => step.kind === 'send'));
    const sends = steps as Extract<Step, { kind: 'send' }>[];
    assert.deepEqual(sends[0], { kind: 'send', path: 'actions[0]', type: 'text', to: '15550002222@s.whatsapp.net', content: { type: 'text', text: 'Hi 15550002222, re price?' } });
    assert.equal(sends[1]!.to, '15550003333@s.whatsapp.net');
    assert.deepEqual(sends.map((s) => s.content), [
      { type: 'text', text: 'Hi 15550002222, re price?' },
      { type: 'image', source: 'https://x.test/a.jpg', field: 'url', caption: 'c' },
      { type: 'media', source: 'https://x.test/clip', field: 'url' },
      { type: 'document', source: 'https://x.test/a.pdf', field: 'url', fileName: 'a.pdf' },
      { type: 'location', latitude: 52.5, longitude: 13.4, name: 'Office' },
      { type: 'sticker', source: 'https://x.test/s.png', field: 'imageUrl' },
      { type: 'contact', contacts: [{ name: 'Ada', phone: '15550004444' }] },
      { type: 'poll', question: 'When?', options: ['Mon', 'Tue'] },
      { type: 'buttons', text: 'Pick', buttons: [{ type: 'reply', displayText: 'Yes', id: 'y' }, { type: 'url', displayText: 'Site', url: 'https://x.test' }] },
      { type: 'list', text: 'Menu', buttonText: 'Open', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'One' }] }] },
      { type: 'text', text: 'quoted' }
    ]);
    assert.equal(sends[10]!.replyTo, 'IN1');
  });

  it('maps control entries, operations defaulting to the event’s message', () => {
    const steps = only([
      { act: 'react', emoji: '👍' },
      { action: 'react', emoji: '' },
      { type: 'edit', messageId: 'OUT1', text: 'fixed' },
      { type: 'star', key: { id: 'K1', remoteJid: '120363000000000001@g.us' } },
      { type: 'read' },
      { type: 'typing' },
      { type: 'presence', state: 'offline' },
      { type: 'delay', seconds: 1.5, state: 'recording' },
      { type: 'noop' }
    ]);
    assert.deepEqual(steps, [
      { kind: 'operate', path: 'actions[0]', type: 'react', action: 'react', messageId: 'IN1', chat: '15550002222@s.whatsapp.net', input: { emoji: '👍' } },
      { kind: 'operate', path: 'actions[1]', type: 'react', action: 'unreact', messageId: 'IN1', chat: '15550002222@s.whatsapp.net', input: {} },
      { kind: 'operate', path: 'actions[2]', type: 'edit', action: 'edit', messageId: 'OUT1', input: { text: 'fixed' } },
      { kind: 'operate', path: 'actions[3]', type: 'star', action: 'star', messageId: 'K1', chat: '120363000000000001@g.us', input: {} },
      { kind: 'operate', path: 'actions[4]', type: 'read', action: 'read', messageId: 'IN1', chat: '15550002222@s.whatsapp.net', input: {} },
      { kind: 'presence', path: 'actions[5]', type: 'typing', state: 'composing', chat: '15550002222@s.whatsapp.net' },
      { kind: 'presence', path: 'actions[6]', type: 'presence', state: 'unavailable' },
      { kind: 'delay', path: 'actions[7]', type: 'delay', ms: 1500, shown: { state: 'recording', chat: '15550002222@s.whatsapp.net' } },
      { kind: 'noop', path: 'actions[8]', type: 'noop' }
    ]);
  });

  it('plans flow entries, evaluating conditions', () => {
    const [queue, when, retry, parallel] = only([
      { type: 'queue', delayMs: 300, items: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { type: 'when', cond: "{{data.text}} contains 'price'", then: { type: 'text', text: 'It is 5' }, else: [{ type: 'noop' }] },
      { type: 'retry', attempts: 2, item: { type: 'react', emoji: '👀' }, onFail: { type: 'text', text: 'sorry' } },
      { type: 'parallel', items: [{ type: 'typing' }, { type: 'read' }] }
    ]);
    assert.deepEqual([queue?.kind, queue?.kind === 'sequence' && queue.pauseMs, queue?.kind === 'sequence' && queue.items.map((s) => s.path)], ['sequence', 300, ['actions[0].items[0]', 'actions[0].items[1]']]);
    assert.ok(when?.kind === 'when' && when.holds && when.then[0]?.path === 'actions[1].then' && when.otherwise[0]?.path === 'actions[1].else[0]');
    assert.ok(retry?.kind === 'retry' && retry.attempts === 2 && retry.delayMs === 500 && retry.item?.path === 'actions[2].item' && retry.onFail.length === 1);
    assert.ok(parallel?.kind === 'parallel' && parallel.items.length === 2);
  });

  it('turns a wrong entry into an invalid step and plans the others', () => {
    const steps = only([
      { type: 'teleport' },
      'text',
      { text: 'no type' },
      { type: 'text' },
      { type: 'location', lat: 'north', lng: 1 },
      { type: 'text', text: 'x', to: 'nobody' },
      { type: 'when', cond: '{{data.text}} ==', then: [] },
      { type: 'delay', state: 'dancing', ms: 5 },
      { type: 'text', text: 'fine' }
    ]);
    assert.deepEqual(
      steps.map((s) => (s.kind === 'invalid' ? s.error : s.kind)),
      [
        'unknown action type "teleport"',
        'an action must be an object',
        'the action names no type (act, action or type)',
        'text is required',
        'lat must be a number',
        'to "nobody" has no digits',
        'the condition ends where a value was expected',
        'state must be typing, recording, paused, available or unavailable, not "dancing"',
        'send'
      ]
    );
  });

  it('defaults pacing to 1200 ms and takes the reply’s delayMs', () => {
    assert.equal(plan({ actions: [] }).pacingMs, 1200);
    assert.equal(plan({ actions: [], delayMs: '{{data.count}}0' }).pacingMs, 0);
    assert.equal(plan({ actions: [], delayMs: 250 }).pacingMs, 250);
  });

  describe('bounds', () => {
    const texts = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'text', text: `m${i}` }));

    it('runs the first 20 entries, nested ones and flow entries counted, and refuses the rest', () => {
      const body = { actions: [...texts(18), { type: 'queue', items: texts(3) }, ...texts(2)] };
      const planned = plan(body);
      assert.equal(planned.steps.length, 19);
      const queue = planned.steps[18]!;
      assert.ok(queue.kind === 'sequence' && queue.items.length === 1);
      assert.deepEqual(planned.refusal, { path: 'actions[18].items[1]', reason: 'a reply runs at most 20 actions, nested ones included' });
    });

    it('refuses entries nested deeper than 4 levels, and everything after them', () => {
      const deep = { type: 'queue', items: [{ type: 'queue', items: [{ type: 'queue', items: [{ type: 'queue', items: [{ type: 'text', text: 'deep' }] }] }] }] };
      const planned = plan({ actions: [deep, { type: 'text', text: 'after' }] });
      assert.equal(planned.steps.length, 1);
      assert.deepEqual(planned.refusal, { path: 'actions[0].items[0].items[0].items[0].items[0]', reason: 'it is nested deeper than 4 levels' });
    });

    it('refuses waits over 30 s and retries over 5 attempts', () => {
      assert.deepEqual(plan({ actions: [{ type: 'text', text: 'a' }, { type: 'delay', seconds: 31 }, { type: 'text', text: 'b' }] }).refusal, {
        path: 'actions[1]',
        reason: 'ms 31000 is over the 30000 ms a single wait may last'
      });
      assert.equal(plan({ actions: [{ type: 'text', text: 'a' }, { type: 'delay', seconds: 31 }] }).steps.length, 1);
      assert.equal(plan({ actions: [{ type: 'retry', attempts: 6, item: { type: 'noop' } }] }).refusal?.reason, 'attempts 6 is over the limit of 5');
      assert.equal(plan({ actions: [{ type: 'queue', delayMs: 40_000, items: [] }] }).refusal?.path, 'actions[0]');
      assert.deepEqual(plan({ actions: [{ type: 'text', text: 'a' }], delayMs: 60_000 }), {
        steps: [],
        pacingMs: 0,
        refusal: { path: 'delayMs', reason: 'delayMs 60000 is over the 30000 ms a single wait may last' }
      });
      assert.deepEqual(plan({ actions: { type: 'text' } }).refusal, { path: 'actions', reason: 'actions must be a list of actions' });
    });
  });
});
