// Poll votes. A vote (pollUpdateMessage) carries the SHA-256 of each chosen option's name, AES-GCM encrypted under
// a key derived from the poll's message secret, the poll id and the poll creator's and voter's user JIDs. Baileys
// 7 rc14 no longer decrypts votes (its processMessage code for them is commented out), so this does, with the
// poll creation message found by its key; the crypto is src/lib/poll-vote-crypto.ts, shared with the misc API.
// Which JID form (PN or LID) the key was derived with depends on the sender's client and the chat's addressing,
// so each known form is tried: GCM authentication tells the right one.
import { normalizeMessageContent, toNumber, type proto, type WAMessage } from 'baileys';
import { decryptPollVoteWithAnyJid, selectedOptionNames } from '../../lib/poll-vote-crypto.js';
import type { EngineLogger } from '../port.js';
import type { ContactRef, Me, PollVote } from '../types.js';
import type { JidResolver } from './jid-resolver.js';
import { authorOf, chatOf, meRef } from './message-content.js';
import type { MessageLookup } from './message-lookup.js';

export interface PollVoteDeps {
  resolver: JidResolver;
  me: Me | null;
  findMessage: MessageLookup;
  logger: EngineLogger;
}

interface Poll {
  options: string[];
  secret: Uint8Array;
}

function pollOf(message: proto.IMessage): Poll | null {
  const content = normalizeMessageContent(message);
  const creation = content?.pollCreationMessage ?? content?.pollCreationMessageV2 ?? content?.pollCreationMessageV3;
  const secret = message.messageContextInfo?.messageSecret ?? content?.messageContextInfo?.messageSecret;
  if (!creation || !secret?.length) return null;
  return { options: (creation.options ?? []).map((option) => option.optionName ?? ''), secret };
}

const forms = (ref: ContactRef | null): string[] => [...new Set([ref?.pn, ref?.lid, ref?.jid].filter((jid): jid is string => !!jid))];

function chosenOptions(poll: Poll, pollId: string, vote: proto.Message.IPollEncValue, creators: string[], voters: string[]): string[] | null {
  if (!vote.encPayload || !vote.encIv) return null;
  const found = decryptPollVoteWithAnyJid({ encPayload: vote.encPayload, encIv: vote.encIv }, { pollMsgId: pollId, pollEncKey: poll.secret }, creators, voters);
  return found && selectedOptionNames(poll.options, found.hashes);
}

/** The vote as the voter's current choice, or null when its poll is unknown or the vote does not decrypt. */
export async function pollVote(msg: WAMessage, update: proto.Message.IPollUpdateMessage, deps: PollVoteDeps): Promise<PollVote | null> {
  const { resolver, me, findMessage, logger } = deps;
  const pollKey = update.pollCreationMessageKey;
  const chat = await chatOf(msg.key, resolver);
  const voter = chat && (await authorOf(msg.key, chat, me, resolver));
  if (!pollKey?.id || !update.vote || !chat || !voter) return null;
  const pollMessage = await findMessage(pollKey);
  const poll = pollMessage && pollOf(pollMessage);
  if (!poll) {
    logger.warn({ pollId: pollKey.id, chat: chat.jid }, 'poll vote for a poll this session does not know; not reported');
    return null;
  }
  const creator = pollKey.fromMe && me ? meRef(me) : await resolver.ref(pollKey.participant || pollKey.remoteJid);
  const options = chosenOptions(poll, pollKey.id, update.vote, forms(creator), forms(voter));
  if (!options) {
    logger.warn({ pollId: pollKey.id, chat: chat.jid }, 'poll vote does not decrypt with its poll; not reported');
    return null;
  }
  const senderMs = update.senderTimestampMs;
  const timestamp = senderMs ? Math.floor(toNumber(senderMs) / 1000) : toNumber(msg.messageTimestamp ?? 0);
  return { pollId: pollKey.id, chat: chat.jid, voter, options, timestamp };
}
