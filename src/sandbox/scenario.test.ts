// A user story, end to end with raw Baileys: Olivia links WhatsApp Web by scanning a QR, creates a group and
// shares its invite link. A stranger joins through it; Olivia revokes the link; the stranger's second join with
// the old code fails while the new code works for a friend; and messages flow both ways in the group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { control, linkedClient, phoneMessage, sandbox, upsertOf } from '../../test/support/sandbox-fixture.js';

const OLIVIA = '15559990001';
const STRANGER = '15559990002';
const FRIEND = '15559990003';

test('link by QR, create a group, a stranger joins by link, the link is revoked, the old code stops working, messages flow', async () => {
  const sb = await sandbox();
  const olivia = await linkedClient(sb, OLIVIA, 'Olivia');
  try {
    for (const [phone, name] of [[STRANGER, 'Stranger'], [FRIEND, 'Friend']]) {
      assert.equal((await control(sb, 'POST', '/sandbox/v1/accounts', { phone, name })).status, 201);
    }
    const sock = olivia.sock!;
    const group = await sock.groupCreate('Book club', []);
    const code = await sock.groupInviteCode(group.id);
    assert.ok(code);

    const joined = await control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(group.id)}/join`, { phone: STRANGER, code });
    assert.deepEqual(joined, { status: 200, body: { status: 'joined' } });
    await olivia.waitFor('group-participants.update', (u) => u.id === group.id && u.action === 'add');

    const newCode = await sock.groupRevokeInvite(group.id);
    assert.ok(newCode && newCode !== code);
    await control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(group.id)}/actions`, { as: OLIVIA, action: 'remove', participants: [STRANGER] });
    const again = await control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(group.id)}/join`, { phone: STRANGER, code });
    assert.equal(again.status, 410, 'the revoked code stops working at once');
    assert.match(again.body.error, /revoked/i);
    const friend = await control(sb, 'POST', `/sandbox/v1/groups/${encodeURIComponent(group.id)}/join`, { phone: FRIEND, code: newCode });
    assert.deepEqual(friend.body, { status: 'joined' });

    const sent = await sock.sendMessage(group.id, { text: 'Welcome to the book club!' });
    const received = await phoneMessage(sb, FRIEND, (m) => m.id === sent!.key.id, 'the welcome message at the friend');
    assert.equal(received.text, 'Welcome to the book club!');

    const reply = await control(sb, 'POST', `/sandbox/v1/accounts/${FRIEND}/messages`, { to: group.id, text: 'Thanks! Which book first?' });
    const { message } = await upsertOf(olivia, reply.body.id);
    assert.equal(message.message?.conversation ?? message.message?.extendedTextMessage?.text, 'Thanks! Which book first?');
    const state = await control(sb, 'GET', `/sandbox/v1/groups/${encodeURIComponent(group.id)}`);
    assert.deepEqual(state.body.revokedCodes, [code]);
    assert.deepEqual(state.body.members.map((m: { phone: string }) => m.phone).sort(), [OLIVIA, FRIEND].sort());
  } finally {
    olivia.stop();
    await sb.stop();
  }
});
