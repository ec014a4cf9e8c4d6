import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSandbox } from './index.js';
import { control, phoneMessage, upsertOf, useSandbox, worldGroup } from '../../test/support/sandbox-fixture.js';
import type { RawClient } from '../../test/support/raw-client.js';
import { groupJid, type AddressingMode } from './world/groups.js';

const ALICE = '15550202001';
const BOB = '15550202002';
const CAROL = '15550202003';

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice'], [CAROL, 'Carol']] });
let sb: RunningSandbox;
let alice: RawClient;
let carol: RawClient;
before(async () => ({ sb, clients: [alice, carol] } = await fixture.ready));

/** Group state made directly in the world, independent of the group IQs. */
function makeGroup(addressingMode: AddressingMode): string {
  const members = [[ALICE, 'superadmin'], [BOB, 'member'], [CAROL, 'member']] as const;
  return groupJid(worldGroup(sb, { subject: `Team ${addressingMode}`, creator: ALICE, members, addressingMode }));
}

for (const mode of ['lid', 'pn'] as const) {
  test(`${mode} group: a raw client's sender-key message reaches a simulated phone, another client and its own phone`, async () => {
    const gid = makeGroup(mode);
    const bob = sb.network.accounts.get(BOB)!;
    const aliceAccount = sb.network.accounts.get(ALICE)!;
    const aliceUser = mode === 'lid' ? aliceAccount.lidJid : aliceAccount.pnJid;
    const sent = await alice.sock!.sendMessage(gid, { text: `hello ${mode} team` });
    const atBob = await phoneMessage(sb, BOB, (m) => m.id === sent!.key.id, 'the group text');
    assert.equal(atBob.chat, gid);
    assert.equal(atBob.participant, aliceUser);
    assert.equal(atBob.text, `hello ${mode} team`);
    const { message: atCarol } = await upsertOf(carol, sent!.key.id!);
    assert.equal(atCarol.key.remoteJid, gid);
    assert.equal(atCarol.key.participant, aliceUser);
    assert.equal(atCarol.key.participantAlt, mode === 'lid' ? aliceAccount.pnJid : aliceAccount.lidJid);
    assert.equal(atCarol.message?.extendedTextMessage?.text, `hello ${mode} team`);
    const copy = await phoneMessage(sb, ALICE, (m) => m.id === sent!.key.id, 'the own-phone copy');
    assert.equal(copy.fromMe, true);
    const bobUser = mode === 'lid' ? bob.lidJid : bob.pnJid;
    await alice.waitForUserReceipt(sent!.key.id!, bobUser);
  });

  test(`${mode} group: a simulated phone's messages reach every member client, and a client's read receipt reaches the phone`, async () => {
    const gid = makeGroup(mode);
    const bob = sb.network.accounts.get(BOB)!;
    const bobUser = mode === 'lid' ? bob.lidJid : bob.pnJid;
    const ids: string[] = [];
    for (const text of ['first (with sender key)', 'second (sender key known)']) {
      const sent = await control(sb, 'POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: gid, text });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      ids.push(sent.body.id);
      for (const client of [alice, carol]) {
        const { message } = await upsertOf(client, sent.body.id);
        assert.equal(message.key.participant, bobUser);
        assert.equal(message.message?.extendedTextMessage?.text, text);
      }
    }
    const { message: atCarol } = await upsertOf(carol, ids[1]!);
    await carol.sock!.readMessages([atCarol.key]);
    const carolAccount = sb.network.accounts.get(CAROL)!;
    const read = await phoneMessage(sb, BOB, (m) => m.id === ids[1] && m.receipts.some((r: any) => r.type === 'read'), 'the read receipt');
    assert.equal(read.receipts.find((r: any) => r.type === 'read').from, mode === 'lid' ? carolAccount.lidJid : carolAccount.pnJid);
  });
}

test('a group message from a non-member is refused with an error ack', async () => {
  const gid = makeGroup('lid');
  sb.network.groups.get(gid)!.members.delete(CAROL);
  const response = await control(sb, 'POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: gid, text: 'let me in' });
  assert.equal(response.status, 403);
  assert.match(response.body.error, /not a member/);
});
