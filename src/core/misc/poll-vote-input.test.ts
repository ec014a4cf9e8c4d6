import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { pollOfRaw, readVoteInput, voteJid } from './poll-vote-input.js';

const VOTE = { encPayload: 'AQIDBAUGBwgJCgsMDQ4PEBES', encIv: 'AAECAwQFBgcICQoL' };
const POLL_KEY = { remoteJid: '15550002222@s.whatsapp.net', fromMe: true, id: '3EB0POLL' };

describe('reading poll votes as callers send them', () => {
  it('takes the pollUpdateMessage, the whole message, just the vote, or a JSON string of any', () => {
    const update = { pollCreationMessageKey: POLL_KEY, vote: VOTE, senderTimestampMs: '1796441497801' };
    const plain = readVoteInput(update);
    assert.deepEqual([plain.pollKey, plain.voteKey, plain.senderTimestampMs, plain.vote.encIv.length], [POLL_KEY, null, 1796441497801, 12]);
    const whole = readVoteInput(JSON.stringify({ key: { remoteJid: '15550002222@s.whatsapp.net', fromMe: false, id: 'V1', participant: '' }, message: { ephemeralMessage: { message: { pollUpdateMessage: update } } } }));
    assert.deepEqual(whole.voteKey, { remoteJid: '15550002222@s.whatsapp.net', fromMe: false, id: 'V1' });
    assert.deepEqual(whole.pollKey, POLL_KEY);
    const bare = readVoteInput({ vote: { encPayload: { type: 'Buffer', data: [1, 2, 3] }, encIv: Array.from({ length: 12 }, (_, i) => i) } });
    assert.deepEqual([bare.pollKey, [...bare.vote.encPayload]], [null, [1, 2, 3]]);
    assert.equal(readVoteInput(VOTE).vote.encPayload.length, 18, 'the vote object itself');
  });

  it('says what is missing or malformed', () => {
    const is400 = (hint: RegExp) => (err: unknown) => err instanceof GatewayError && err.status === 400 && hint.test(err.message);
    assert.throws(() => readVoteInput('{not json'), is400(/not valid JSON/));
    assert.throws(() => readVoteInput([1, 2]), is400(/pollUpdateVote is required/));
    assert.throws(() => readVoteInput({ pollCreationMessageKey: POLL_KEY }), is400(/has no vote/));
    assert.throws(() => readVoteInput({ vote: { encPayload: 'AQID', encIv: 'AQID' } }), is400(/12 bytes/));
    assert.throws(() => readVoteInput({ vote: { encPayload: '!!', encIv: VOTE.encIv } }), is400(/base64/));
  });

  it('reads a stored poll: options, title, secret, through wrappers', () => {
    const raw = {
      key: { id: '3EB0POLL' },
      message: {
        messageContextInfo: { messageSecret: Buffer.alloc(32, 9).toString('base64') },
        pollCreationMessageV3: { name: 'Lunch?', options: [{ optionName: 'pizza' }, { optionName: 'sushi' }], selectableOptionsCount: 1 }
      }
    };
    assert.deepEqual(pollOfRaw(raw), { title: 'Lunch?', options: ['pizza', 'sushi'], selectableOptionsCount: 1, secret: Buffer.alloc(32, 9) });
    assert.equal(pollOfRaw({ message: { conversation: 'hi' } }), null);
  });

  it('normalises the JIDs a vote key is derived with', () => {
    assert.equal(voteJid('15550002222'), '15550002222@s.whatsapp.net');
    assert.equal(voteJid('15550002222:7@c.us'), '15550002222@s.whatsapp.net');
    assert.equal(voteJid('81234567890123:3@lid'), '81234567890123@lid');
    assert.equal(voteJid('120363012345678901@g.us'), undefined);
    assert.equal(voteJid('someone'), undefined);
  });
});
