// Poll vote decryption on node:crypto alone, shared by the engine (inbound votes) and the misc API (votes a
// caller hands in). A vote (pollUpdateMessage.vote) is a PollVoteMessage — the SHA-256 of each chosen option's
// name — AES-256-GCM encrypted under
//   key = HMAC-SHA256(key: HMAC-SHA256(key: 32 zero bytes, pollEncKey), pollMsgId ‖ creatorJid ‖ voterJid ‖ "Poll Vote" ‖ 0x01)
// with the additional data `pollMsgId \0 voterJid` and the 16-byte tag at the end of encPayload (as WhatsApp Web
// and Baileys' decryptPollVote do). The JIDs are user JIDs without device; which form (PN or LID) the sender's
// client used is not said, so callers try each form they know: GCM authentication fails for the wrong ones.
import { createDecipheriv, createHash, createHmac } from 'node:crypto';

export interface PollVoteContext {
  pollMsgId: string;
  pollCreatorJid: string;
  voterJid: string;
  /** the poll creation message's messageSecret */
  pollEncKey: Uint8Array;
}

export interface EncryptedVote {
  encPayload: Uint8Array;
  encIv: Uint8Array;
}

const TAG_LENGTH = 16;

export class PollVoteDecryptError extends Error {}

export function pollVoteKey({ pollMsgId, pollCreatorJid, voterJid, pollEncKey }: PollVoteContext): Buffer {
  const key0 = createHmac('sha256', Buffer.alloc(32)).update(pollEncKey).digest();
  const sign = Buffer.concat([Buffer.from(pollMsgId), Buffer.from(pollCreatorJid), Buffer.from(voterJid), Buffer.from('Poll Vote'), Buffer.from([1])]);
  return createHmac('sha256', key0).update(sign).digest();
}

/** The selected option hashes (32 bytes each; none = vote withdrawn); throws PollVoteDecryptError when the key is not this vote's. */
export function decryptPollVote(vote: EncryptedVote, context: PollVoteContext): Buffer[] {
  const payload = Buffer.from(vote.encPayload);
  if (payload.length < TAG_LENGTH) throw new PollVoteDecryptError('encPayload is shorter than its 16-byte authentication tag');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', pollVoteKey(context), Buffer.from(vote.encIv));
    decipher.setAAD(Buffer.from(`${context.pollMsgId}\u0000${context.voterJid}`));
    decipher.setAuthTag(payload.subarray(-TAG_LENGTH));
    plain = Buffer.concat([decipher.update(payload.subarray(0, -TAG_LENGTH)), decipher.final()]);
  } catch (err) {
    throw new PollVoteDecryptError(`the vote does not decrypt with this key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return selectedOptions(plain);
}

/** The repeated `bytes selectedOptions = 1` of a PollVoteMessage (other fields skipped). */
function selectedOptions(message: Buffer): Buffer[] {
  const options: Buffer[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= message.length) throw new PollVoteDecryptError('truncated PollVoteMessage');
      const byte = message[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new PollVoteDecryptError('malformed PollVoteMessage');
  };
  while (at < message.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (at + length > message.length) throw new PollVoteDecryptError('truncated PollVoteMessage');
      if (tag >>> 3 === 1) options.push(message.subarray(at, at + length));
      at += length;
    } else throw new PollVoteDecryptError(`unexpected wire type ${wire} in PollVoteMessage`);
  }
  return options;
}

/** The hash a vote carries for an option name. */
export function pollOptionHash(name: string): Buffer {
  return createHash('sha256').update(name).digest();
}

/** The names among `options` that the hashes select, in the poll's order. */
export function selectedOptionNames(options: readonly string[], hashes: readonly Buffer[]): string[] {
  return options.filter((name) => hashes.some((hash) => pollOptionHash(name).equals(hash)));
}

/**
 * Tries every creator × voter JID form: the selected hashes and the pair that decrypted, or null when none did.
 */
export function decryptPollVoteWithAnyJid(vote: EncryptedVote, base: { pollMsgId: string; pollEncKey: Uint8Array }, creators: readonly string[], voters: readonly string[]): { hashes: Buffer[]; pollCreatorJid: string; voterJid: string } | null {
  for (const pollCreatorJid of creators) {
    for (const voterJid of voters) {
      try {
        return { hashes: decryptPollVote(vote, { ...base, pollCreatorJid, voterJid }), pollCreatorJid, voterJid };
      } catch (err) {
        if (!(err instanceof PollVoteDecryptError)) throw err;
      }
    }
  }
  return null;
}
