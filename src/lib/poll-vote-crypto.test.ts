import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptPollVote, decryptPollVoteWithAnyJid, pollOptionHash, pollVoteKey, PollVoteDecryptError, selectedOptionNames } from './poll-vote-crypto.js';

// Encrypted by the sandbox's phones (src/sandbox/routing/poll-votes.ts, on Baileys' helpers), generated once.
const SECRET = Buffer.alloc(32, 7);
const POLL_ID = '3EB0POLLVECTOR01';
const ALICE = '15550001111@s.whatsapp.net';
const ALICE_LID = '81234567890123@lid';
const BOB = '15550002222@s.whatsapp.net';
const VOTE = { encPayload: Buffer.from('9i2oKUICzVJ4rMUuQQpqQBpn3XmxoFrQvI4JnDdngNv1n1WvHInXXmOhO/81hIdRa2k=', 'base64'), encIv: Buffer.from('EVNBVjF7Oc8/hner', 'base64') };
const WITHDRAWN_LID = { encPayload: Buffer.from('+oC/FFLK/RGCLDZLewQEOA==', 'base64'), encIv: Buffer.from('BR6QNtgOSt6C0huj', 'base64') };

describe('poll vote crypto', () => {
  it('decrypts a vote the sandbox phone encrypted to the chosen option hashes and names', () => {
    const hashes = decryptPollVote(VOTE, { pollMsgId: POLL_ID, pollCreatorJid: ALICE, voterJid: BOB, pollEncKey: SECRET });
    assert.deepEqual(hashes.map((h) => h.toString('hex')), [pollOptionHash('sushi').toString('hex')]);
    assert.deepEqual(selectedOptionNames(['pizza', 'sushi', 'salad'], hashes), ['sushi']);
  });

  it('fails authentication with a wrong secret, poll id or JID', () => {
    const base = { pollMsgId: POLL_ID, pollCreatorJid: ALICE, voterJid: BOB, pollEncKey: SECRET };
    assert.throws(() => decryptPollVote(VOTE, { ...base, pollEncKey: randomBytes(32) }), PollVoteDecryptError);
    assert.throws(() => decryptPollVote(VOTE, { ...base, pollMsgId: 'OTHER' }), PollVoteDecryptError);
    assert.throws(() => decryptPollVote(VOTE, { ...base, voterJid: ALICE }), PollVoteDecryptError);
    assert.throws(() => decryptPollVote({ encPayload: Buffer.alloc(4), encIv: VOTE.encIv }, base), PollVoteDecryptError);
  });

  it('finds the JID forms the key was derived with; a withdrawn vote selects nothing', () => {
    const found = decryptPollVoteWithAnyJid(WITHDRAWN_LID, { pollMsgId: POLL_ID, pollEncKey: SECRET }, [ALICE, ALICE_LID], [BOB]);
    assert.deepEqual(found && { creator: found.pollCreatorJid, voter: found.voterJid, hashes: found.hashes }, { creator: ALICE_LID, voter: BOB, hashes: [] });
    assert.equal(decryptPollVoteWithAnyJid(VOTE, { pollMsgId: POLL_ID, pollEncKey: SECRET }, [ALICE_LID], [BOB]), null);
  });

  it('reads several selected options and skips unknown fields', () => {
    const context = { pollMsgId: 'P2', pollCreatorJid: ALICE, voterJid: BOB, pollEncKey: SECRET };
    const options = ['a', 'b', 'c'].map(pollOptionHash);
    // field 1 (bytes) ×2, then an unknown varint field 2
    const plain = Buffer.concat([...[options[0]!, options[2]!].map((hash) => Buffer.concat([Buffer.from([0x0a, 32]), hash])), Buffer.from([0x10, 0x96, 0x01])]);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', pollVoteKey(context), iv);
    cipher.setAAD(Buffer.from(`P2\u0000${BOB}`));
    const encPayload = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    assert.deepEqual(selectedOptionNames(['a', 'b', 'c'], decryptPollVote({ encPayload, encIv: iv }, context)), ['a', 'c']);
  });
});
