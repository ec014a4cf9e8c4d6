// LID resolution with what real phones send: the sandbox's history sync carries only the phone's own contacts'
// PN↔LID pairs (`historyMappings: 'known'`, the default), so everyone else reaches the session by LID first.
// Their numbers come from message envelopes, group metadata and WhatsApp's queries, are kept in the store, and
// reach webhooks; a LID nobody reveals stays `pn: null`. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15558880001';
const BOB = '15558880002';
const CAROL = '15558880003';
const DAVE = '15558880004';
const EVE = '15558880005';
const FRANK = '15558880006';
const GRACE = '15558880007';
const HENRY = '15558880008';
const IVY = '15558880009';
const SESSION = 'lid-alice';

type Ref = { jid: string; pn: string | null; lid: string | null };
type Recorded = { direction: string; stanza: { tag: string; attrs: Record<string, string>; content?: Recorded['stanza'][] } };

for (const dialect of DIALECTS) {
  describe(`${dialect}: LID resolution`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('lid-secret-123');
    const lids = new Map<string, string>();
    const pn = (phone: string) => `${phone}@s.whatsapp.net`;
    const person = (phone: string): Ref => ({ jid: pn(phone), pn: pn(phone), lid: lids.get(phone)! });

    const webhook = (tag: string, match: (data: any) => boolean, what: string) => eventually(() => receiver.events(tag).find((d) => match(d.body.data)), { what });
    const resolve = async (input: string) => {
      const answer = await gw.request('POST', '/api/v1/misc/whatsapp/resolve/jid-or-lid', { body: { sessionId: SESSION, input } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.results[0].data;
    };
    /** The IQs the gateway's device sent, as `xmlns:firstChild`. */
    const queries = async () => {
      const { stanzas } = await sb.ok<{ stanzas: Recorded[] }>('GET', `/sandbox/v1/stanzas?device=${ALICE}&limit=20000`);
      return stanzas.filter((s) => s.direction === 'in' && s.stanza.tag === 'iq').map((s) => `${s.stanza.attrs.xmlns}:${s.stanza.content?.[0]?.tag ?? ''}`);
    };
    const phoneGroup = async (creator: string, ...members: string[]) =>
      (await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${creator}/groups`, { subject: `${creator}'s group`, participants: members })).id;
    const act = (gid: string, as: string, action: string, input: Record<string, unknown>) =>
      sb.ok('POST', `/sandbox/v1/groups/${encodeURIComponent(gid)}/actions`, { as, action, ...input });

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      await receiver.start();
      for (const phone of [BOB, CAROL, DAVE, EVE, FRANK, GRACE, HENRY, IVY]) {
        lids.set(phone, (await sb.ok<{ lid: string }>('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` })).lid);
      }
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      lids.set(ALICE, (await sb.ok<{ lid: string }>('GET', `/sandbox/v1/accounts/${ALICE}`)).lid);
      await hookTo(gw, SESSION, receiver);
    });

    after(async () => {
      await gw?.stop();
      await receiver.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('a message from someone outside the history mappings reaches the webhook and the store with both PN and LID', async () => {
      // Bob writes to Alice's LID (the envelope names his number), Carol to her number (it names her LID).
      const fromBob = await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: lids.get(ALICE), text: 'by lid' });
      const fromCarol = await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: ALICE, text: 'by number' });
      for (const [phone, id] of [[BOB, fromBob.id], [CAROL, fromCarol.id]] as const) {
        const received = await webhook('message_received', (d) => d.messageId === id, `${phone}'s message`);
        assert.deepEqual(pick(received.body.data.sender), person(phone));
        const stored = await eventually(async () => (await gw.request('GET', `/api/v1/messages/${id}?sessionId=${SESSION}`)).body.results?.[0], { what: `${id} stored` });
        assert.deepEqual(pick(stored.sender), person(phone));
      }
      const contacts = await gw.request('GET', `/api/v1/profile/list-contacts?sessionId=${SESSION}&limit=100`);
      for (const phone of [BOB, CAROL]) {
        const contact = contacts.body.results[0].data.find((c: { jid: string }) => c.jid === pn(phone));
        assert.deepEqual([contact?.phone, contact?.lid], [phone, lids.get(phone)], `${phone} in the contact store`);
      }
    });

    test('group events and receipts about LIDs the session never saw carry their numbers', async () => {
      // A LID group Dave makes on his phone: WhatsApp names Dave by LID in every notification.
      const groupId = await phoneGroup(DAVE, ALICE, EVE);
      await act(groupId, DAVE, 'add', { participants: [FRANK] });
      const added = await webhook('group_participants', (d) => d.groupId === groupId && d.action === 'add', 'Frank added');
      assert.deepEqual(pick(added.body.data.author), person(DAVE));
      assert.deepEqual(added.body.data.contacts.map(pick), [person(FRANK)]);
      await act(groupId, DAVE, 'subject', { value: 'Renamed by Dave' });
      const renamed = await webhook('group_update', (d) => d.groupId === groupId && d.update.subject === 'Renamed by Dave', 'subject change');
      assert.deepEqual(pick(renamed.body.data.author), person(DAVE));

      // Eve's read receipt names her by LID only; the group's metadata knows her number.
      const sent = await gw.request('POST', '/api/v1/messages/send/text', { body: { sessionId: SESSION, to: groupId, message: 'read me' } });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const id = sent.body.results[0].messageId as string;
      await eventually(async () => ((await sb.control('POST', `/sandbox/v1/accounts/${EVE}/receipts`, { chat: groupId, ids: [id], type: 'read' })).status === 200 ? true : undefined), { what: 'Eve reads it' });
      const read = await webhook('message_status', (d) => d.messageId === id && d.status === 'read', "Eve's read receipt");
      assert.deepEqual(pick(read.body.data.participant), person(EVE));
    });

    test('jid/lid resolution answers from the store first, then asks WhatsApp; a LID nobody reveals stays unresolved, with the reason', async () => {
      const before = (await queries()).length;
      const bob = await resolve(lids.get(BOB)!);
      assert.deepEqual([bob.jid, bob.lid, bob.resolved, bob.reason], [pn(BOB), lids.get(BOB), true, null]);
      assert.equal((await queries()).length, before, 'the contact store answered');

      // Henry is in Grace's group, whose cached metadata Grace's change drops: only WhatsApp knows his number now.
      const groupId = await phoneGroup(GRACE, ALICE, HENRY);
      await act(groupId, GRACE, 'subject', { value: 'Renamed by Grace' });
      await webhook('group_update', (d) => d.groupId === groupId && d.update.subject === 'Renamed by Grace', 'subject change');
      const asked = (await queries()).length;
      const henry = await resolve(lids.get(HENRY)!);
      assert.deepEqual([henry.jid, henry.lid, henry.resolved], [pn(HENRY), lids.get(HENRY), true]);
      assert.deepEqual((await queries()).slice(asked), ['w:g2:participating'], 'one query for the groups Alice is in');
      const again = await resolve(lids.get(HENRY)!);
      assert.deepEqual([again.jid, again.resolved], [pn(HENRY), true]);
      assert.equal((await queries()).length, asked + 1, 'kept: no second query');

      // Ivy shares nothing with Alice: WhatsApp answers her number's LID (usync), never her LID's number.
      const ivyLid = await resolve(lids.get(IVY)!);
      assert.deepEqual([ivyLid.jid, ivyLid.lid, ivyLid.resolved], [null, lids.get(IVY), false]);
      assert.match(ivyLid.reason, /reveals a LID's phone number only in/);
      const ivyNumber = await resolve(IVY);
      assert.deepEqual([ivyNumber.jid, ivyNumber.lid, ivyNumber.resolved, ivyNumber.reason], [pn(IVY), lids.get(IVY), true, null]);
    });
  });
}

const pick = (ref: Ref) => ({ jid: ref.jid, pn: ref.pn, lid: ref.lid });
