import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSandbox } from './index.js';
import { control, eventually, pn, useSandbox, worldGroup } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';
import { groupJid } from './world/groups.js';

const ALICE = '15550505001';
const BOB = '15550505002';
const CAROL = '15550505003';

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice'], [CAROL, 'Carol']] });
let sb: RunningSandbox;
let alice: RawClient;
let carol: RawClient;
before(async () => ({ sb, clients: [alice, carol] } = await fixture.ready));

/** The next presence update for `who` in `chat` with `state`; start waiting before triggering it. */
const presenceOf = (client: RawClient, chat: string, who: string, state: string) =>
  client.next('presence.update', (u) => u.id === chat && u.presences[who]?.lastKnownPresence === state);

test('subscribing answers with the current presence; a simulated phone going online reaches the subscriber', async () => {
  const first = presenceOf(alice, pn(BOB), pn(BOB), 'unavailable');
  await alice.sock!.presenceSubscribe(pn(BOB));
  assert.equal(typeof (await first).presences[pn(BOB)]!.lastSeen, 'number');
  const online = presenceOf(alice, pn(BOB), pn(BOB), 'available');
  assert.equal((await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'available' })).status, 200);
  await online;
});

test('a simulated phone types and records in a chat; a chat state without a chat is refused', async () => {
  const typing = presenceOf(alice, pn(BOB), pn(BOB), 'composing');
  await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'composing', to: ALICE });
  await typing;
  const recording = presenceOf(alice, pn(BOB), pn(BOB), 'recording');
  await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'recording', to: ALICE });
  await recording;
  const refused = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'paused' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /give "to"/);
});

test("a raw client's availability and typing reach the other side", async () => {
  const subscribed = presenceOf(carol, pn(ALICE), pn(ALICE), 'unavailable');
  await carol.sock!.presenceSubscribe(pn(ALICE));
  await subscribed;
  const online = presenceOf(carol, pn(ALICE), pn(ALICE), 'available');
  await alice.sock!.sendPresenceUpdate('available');
  await online;
  assert.equal(sb.network.accounts.get(ALICE)!.presence.type, 'available');
  const typing = presenceOf(carol, pn(ALICE), pn(ALICE), 'composing');
  await alice.sock!.sendPresenceUpdate('composing', pn(CAROL));
  await typing;
  const paused = presenceOf(carol, pn(ALICE), pn(ALICE), 'available');
  await alice.sock!.sendPresenceUpdate('paused', pn(CAROL));
  await paused;
  await eventually(() => sb.network.accounts.get(ALICE)!.name === 'Alice', 'the push name from <presence name>');
});

test('chat states in a group reach the other members with the typing participant', async () => {
  const account = (phone: string) => sb.network.accounts.get(phone)!;
  const group = worldGroup(sb, { subject: 'Typing', creator: BOB, members: [[ALICE, 'member'], [BOB, 'member'], [CAROL, 'member']] });
  const gid = groupJid(group);
  const bobTyping = presenceOf(alice, gid, account(BOB).lidJid, 'composing');
  await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/presence`, { type: 'composing', to: gid });
  await bobTyping;
  const carolTyping = presenceOf(alice, gid, account(CAROL).lidJid, 'composing');
  await carol.sock!.sendPresenceUpdate('composing', gid);
  await carolTyping;
});
