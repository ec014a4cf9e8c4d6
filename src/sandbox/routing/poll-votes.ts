// Poll votes for simulated phones. WhatsApp encrypts each vote (the SHA-256 of every chosen option name) with
// AES-GCM under a key derived from the poll's message secret, the poll id and the creator's and voter's user
// JIDs, so only chat members can count them; Baileys decrypts with decryptPollVote, mirrored here.
import { createHash, randomBytes } from 'node:crypto';
import { aesEncryptGCM, decryptPollVote, hmacSign, normalizeMessageContent, proto } from 'baileys';
import type { SandboxNetwork } from '../network.js';
import type { Account } from '../world/accounts.js';
import type { PhoneMessage } from '../world/phone-inbox.js';

export interface VoteContext {
  pollId: string;
  /** PN user JIDs of the poll's author and of the voter */
  creatorJid: string;
  voterJid: string;
  secret: Uint8Array;
}

export interface Poll {
  options: string[];
  secret: Uint8Array;
}

const optionHash = (name: string) => createHash('sha256').update(name).digest();

/** The poll in a message's (normalized) content, whichever version Baileys built (V3 single choice, V2 announcement groups). */
export function pollCreationOf(content: proto.IMessage | undefined): proto.Message.IPollCreationMessage | undefined {
  return content?.pollCreationMessage ?? content?.pollCreationMessageV2 ?? content?.pollCreationMessageV3 ?? content?.pollCreationMessageV5 ?? undefined;
}

/** The options and message secret of a poll creation message, if it is one. */
export function pollOf(message: PhoneMessage): Poll | undefined {
  const content = normalizeMessageContent(message.message);
  const creation = pollCreationOf(content);
  const secret = content?.messageContextInfo?.messageSecret ?? message.message.messageContextInfo?.messageSecret;
  if (!creation || !secret) return undefined;
  return { options: (creation.options ?? []).map((option) => option.optionName ?? ''), secret };
}

function voteKey({ pollId, creatorJid, voterJid, secret }: VoteContext): Buffer {
  const sign = Buffer.concat([Buffer.from(pollId), Buffer.from(creatorJid), Buffer.from(voterJid), Buffer.from('Poll Vote'), Buffer.from([1])]);
  return hmacSign(sign, hmacSign(secret, new Uint8Array(32)));
}

export function encryptVote(context: VoteContext, options: string[]): proto.Message.IPollEncValue {
  const encIv = randomBytes(12);
  const vote = proto.Message.PollVoteMessage.encode({ selectedOptions: options.map(optionHash) }).finish();
  const aad = Buffer.from(`${context.pollId}\u0000${context.voterJid}`);
  return { encPayload: aesEncryptGCM(vote, voteKey(context), encIv, aad), encIv };
}

/** The option names a vote selects (an empty list withdraws a vote). */
export function decryptVote(vote: proto.Message.IPollEncValue, context: VoteContext, poll: Poll): string[] {
  const { selectedOptions } = decryptPollVote(vote, {
    pollCreatorJid: context.creatorJid,
    pollMsgId: context.pollId,
    pollEncKey: context.secret,
    voterJid: context.voterJid
  });
  return poll.options.filter((name) => selectedOptions.some((hash) => optionHash(name).equals(hash)));
}

/** PN user JID of a poll's author, as vote keys name it. */
function creatorOf(network: SandboxNetwork, pollMessage: PhoneMessage): string {
  return network.accounts.resolve(pollMessage.from)?.account.pnJid ?? pollMessage.from;
}

/** What a simulated phone records for a vote it received: the chosen options, or why it could not count it. */
export function readVote(network: SandboxNetwork, phone: Account, voter: Account, update: proto.Message.IPollUpdateMessage): PhoneMessage['vote'] {
  const pollId = update.pollCreationMessageKey?.id ?? '';
  const pollMessage = phone.inbox.find(pollId);
  const poll = pollMessage && pollOf(pollMessage);
  if (!poll || !update.vote) return { error: `no poll ${pollId} in this phone's chats` };
  try {
    return { pollId, options: decryptVote(update.vote, { pollId, creatorJid: creatorOf(network, pollMessage), voterJid: voter.pnJid, secret: poll.secret }, poll) };
  } catch {
    return { error: 'the vote does not decrypt with this poll\'s secret' };
  }
}

/** A simulated phone's vote on a poll in its chats, as a pollUpdateMessage. */
export function castVote(network: SandboxNetwork, voter: Account, pollMessage: PhoneMessage, key: proto.IMessageKey, poll: Poll, options: string[]): proto.IMessage {
  const context = { pollId: pollMessage.id, creatorJid: creatorOf(network, pollMessage), voterJid: voter.pnJid, secret: poll.secret };
  return { pollUpdateMessage: { pollCreationMessageKey: key, vote: encryptVote(context, options), senderTimestampMs: Date.now() } };
}
