// The Miscellaneous capability: helpers that need more than their input — a media file loaded from a URL or
// data URI (the shared loader: SSRF guard, size limit, deadline), a session's message store, or a connected
// session's knowledge of who is who. The pure helpers (QR, base64, hashes, ids, phone and JID checks) are used
// by the routes directly.
import type { EngineSession } from '../../engine/port.js';
import type { ContactRef } from '../../engine/types.js';
import { decryptPollVoteWithAnyJid, selectedOptionNames } from '../../lib/poll-vote-crypto.js';
import type { Db } from '../../store/database.js';
import { findContact } from '../../store/repos/contacts.js';
import { findMessage } from '../../store/repos/messages.js';
import { GatewayError } from '../errors.js';
import { loadMedia, parseMediaSource, type LoadedMedia, type MediaLoadOptions } from '../media/media-source.js';
import type { SessionAccess, SessionCommand } from '../sessions/session-access.js';
import { bytesFrom, deliver, type DeliveredBytes, type OutputMode } from './binary-output.js';
import { validateJid, type JidValidation } from './jid-kind.js';
import { processImage, thumbnails, type ImageActions, type ProcessedImage, type Thumbnail, type ThumbnailInput } from './media-tools.js';
import { validatePhone, type PhoneValidation } from './phone.js';
import { pollOfRaw, readVoteInput, voteJid, type StoredPoll, type VoteKey } from './poll-vote-input.js';
import { decryptMedia, MEDIA_KEY_INFO, MEDIA_KINDS, mediaKindOf, type MediaKind } from './wa-media-crypto.js';

export interface MiscDeps {
  db: Db;
  access: SessionAccess;
  /** how `file` fields are loaded (WAYGATE_MEDIA_MAX_BYTES, fetch timeout, private addresses, local dirs) */
  load: Omit<MediaLoadOptions, 'field'>;
}

export interface DecryptFileInput {
  mediaKey: string;
  file: string;
  /** image, video, audio, document, sticker, … or a MIME type; absent: every kind is tried */
  type?: string;
  /** the MIME type of the answer (else sniffed from the decrypted bytes) */
  mimeType?: string;
  fileSha256?: string;
  output?: OutputMode;
}

export interface DecryptedFile extends DeliveredBytes {
  meta: DeliveredBytes['meta'] & { mediaType: MediaKind; fileSha256: string; fileEncSha256: string };
}

export interface PollVoteInput {
  pollUpdateVote: unknown;
  pollEncKey?: string;
  pollMsgId?: string;
  pollCreatorJid?: string;
  voterJid?: string;
  /** the poll's option names, when the store does not have the poll */
  pollOptions?: string[];
}

export interface DecryptedPollVote {
  messageKey: VoteKey;
  pollCreatorJid: string;
  voterJid: string;
  /** SHA-256 (hex) of each chosen option: what the vote carries */
  selectedOptionHashes: string[];
  votedOptionNames: string[];
  votedOptionIndexes: number[];
  pollTitle: string | null;
  selectableOptionsCount: number | null;
  pollOptions: { index: number; name: string }[];
  timestampMs: number | null;
  /** where the poll's secret and options came from */
  pollSource: 'store' | 'request';
}

export interface ResolvedId {
  input: string;
  isValid: boolean;
  /** what the input was: a phone-number JID (`jid`), a LID, or neither */
  type: 'jid' | 'lid' | 'invalid';
  jid: string | null;
  lid: string | null;
  /** both halves known */
  resolved: boolean;
  /** where the answer came from: the contact store, or the session asking its LID store and WhatsApp */
  source: 'store' | 'whatsapp';
  /** why a half is missing; null when resolved */
  reason: string | null;
}

const UNRESOLVED_LID = 'WhatsApp reveals a LID\'s phone number only in message envelopes, groups that show members\' numbers, the phone\'s address book and history; none of them named this one to the session';
const UNKNOWN_NUMBER = 'WhatsApp named no LID for this number: it is not on WhatsApp, or the usync query failed';

/** Every distinct HKDF info once, the likeliest first (a message's own type, then the four main kinds). */
function kindsToTry(preferred: MediaKind | undefined): MediaKind[] {
  const order = [...(preferred ? [preferred] : []), 'image', 'video', 'audio', 'document', ...MEDIA_KINDS] as MediaKind[];
  const seen = new Set<string>();
  return order.filter((kind) => !seen.has(MEDIA_KEY_INFO[kind]) && seen.add(MEDIA_KEY_INFO[kind]));
}

let fileType: Promise<typeof import('file-type')> | undefined;

/** WARest's misc routes answer 404 for another user's session, revealing nothing about it. */
const HIDE_FOREIGN = { hideForeign: true };

export class Misc {
  constructor(private readonly deps: MiscDeps) {}

  /** The type the bytes themselves tell (file-type), else application/octet-stream. */
  async sniff(bytes: Buffer): Promise<string> {
    const { fileTypeFromBuffer } = await (fileType ??= import('file-type'));
    return (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
  }

  async loadFile(source: string, field: string): Promise<LoadedMedia> {
    return loadMedia(parseMediaSource(source, field), { ...this.deps.load, field });
  }

  async thumbnails(source: string, input: ThumbnailInput): Promise<Thumbnail[]> {
    return thumbnails((await this.loadFile(source, 'file')).bytes, input);
  }

  async processImage(source: string, actions: ImageActions, output?: OutputMode): Promise<ProcessedImage> {
    return processImage((await this.loadFile(source, 'file')).bytes, actions, output);
  }

  /** An .enc file decrypted with its mediaKey (see wa-media-crypto.ts). */
  async decryptFile(input: DecryptFileInput): Promise<DecryptedFile> {
    const mediaKey = bytesFrom(input.mediaKey, { hexLength: 32 });
    if (!mediaKey) throw new GatewayError('INVALID_PARAMETER', 'mediaKey is not base64 (or hex); send the message\'s mediaKey as the webhook carries it');
    const expected = input.fileSha256 === undefined ? undefined : bytesFrom(input.fileSha256, { hexLength: 32 });
    if (input.fileSha256 !== undefined && expected?.length !== 32) throw new GatewayError('INVALID_PARAMETER', 'fileSha256 must be the 32-byte SHA-256 of the decrypted file, base64 or hex');
    const named = input.type ?? input.mimeType;
    const kind = named === undefined ? undefined : mediaKindOf(named);
    if (input.type !== undefined && !kind) throw new GatewayError('INVALID_PARAMETER', `type "${input.type.slice(0, 40)}" is not a WhatsApp media type; use image, video, audio, document, sticker, gif, ptt or a MIME type`);
    // A type the caller named is used alone; one guessed from a MIME type only goes first.
    const kinds = input.type !== undefined && kind ? [kind] : kindsToTry(kind);
    const encrypted = await this.loadFile(input.file, 'file');
    const decrypted = decryptMedia(encrypted.bytes, mediaKey, kinds, expected);
    const mimeType = input.mimeType && /^[\w.+-]+\/[\w.+-]+/.test(input.mimeType) ? input.mimeType.split(';')[0]!.trim() : await this.sniff(decrypted.bytes);
    const delivered = deliver(decrypted.bytes, input.output ?? 'base64', mimeType, 'the decrypted file');
    return { ...delivered, meta: { ...delivered.meta, mediaType: decrypted.kind, fileSha256: decrypted.fileSha256, fileEncSha256: decrypted.fileEncSha256 } };
  }

  /**
   * A poll vote decrypted to the chosen option hashes and, with the poll's options (from the session's message
   * store, or given), their names. The poll's secret comes from the request or the store; the creator's and
   * voter's JIDs from the request, the vote's keys, the stored poll and the session's LID mapping (each form is
   * tried: only the right pair decrypts).
   */
  async pollVote(command: SessionCommand, input: PollVoteInput): Promise<DecryptedPollVote> {
    const vote = readVoteInput(input.pollUpdateVote);
    const pollMsgId = input.pollMsgId ?? vote.pollKey?.id;
    if (!pollMsgId) throw new GatewayError('MISSING_PARAMETER', 'pollMsgId is required: the id of the poll message (pollUpdateVote.pollCreationMessageKey.id carries it)');
    const hasSelector = command.session.sessionId !== undefined || command.session.phone !== undefined || command.principal?.kind === 'session';
    const session = hasSelector ? await this.deps.access.find(command, HIDE_FOREIGN) : null;
    const engine = session ? this.deps.access.runtimeOf(session.id)?.engine : undefined;
    const live = engine?.status === 'WORKING' ? engine : undefined;
    const me = [engine?.me?.id ?? session?.meId, engine?.me?.lid ?? session?.meLid];

    const row = session ? await findMessage(this.deps.db, session.id, pollMsgId, vote.pollKey?.remoteJid ?? undefined) ?? await findMessage(this.deps.db, session.id, pollMsgId) : undefined;
    const stored: StoredPoll | null = row?.raw ? pollOfRaw(JSON.parse(row.raw) as unknown) : null;
    const givenKey = input.pollEncKey === undefined ? undefined : bytesFrom(input.pollEncKey, { hexLength: 32 });
    if (input.pollEncKey !== undefined && !givenKey) throw new GatewayError('INVALID_PARAMETER', 'pollEncKey is not base64 (or hex); send the poll message\'s messageSecret');
    const secret = givenKey ?? stored?.secret;
    if (!secret) {
      throw new GatewayError('MISSING_PARAMETER', session
        ? `pollEncKey is required: poll ${pollMsgId} is not in session "${session.id}"'s message store; send the poll message's messageSecret (base64)`
        : 'pollEncKey is required (the poll message\'s messageSecret, base64), or send sessionId so the poll is looked up in the session\'s message store');
    }

    const creatorSources = [
      input.pollCreatorJid,
      ...(row ? (row.from_me ? me : [row.sender_pn, row.sender_lid, row.sender_jid]) : []),
      ...(vote.pollKey?.fromMe ? me : [vote.pollKey?.participant, vote.pollKey?.participantAlt, vote.pollKey?.remoteJid, vote.pollKey?.remoteJidAlt]),
    ];
    const voterSources = [
      input.voterJid,
      ...(vote.voteKey?.fromMe ? me : [vote.voteKey?.participant, vote.voteKey?.participantAlt, vote.voteKey?.remoteJid, vote.voteKey?.remoteJidAlt]),
    ];
    const creators = await this.jidForms(creatorSources, live);
    const voters = await this.jidForms(voterSources, live);
    if (creators.length === 0) throw new GatewayError('MISSING_PARAMETER', 'pollCreatorJid is required: who sent the poll (a phone number, PN JID or LID)');
    if (voters.length === 0) throw new GatewayError('MISSING_PARAMETER', 'voterJid is required: who voted (a phone number, PN JID or LID)');

    const found = decryptPollVoteWithAnyJid(vote.vote, { pollMsgId, pollEncKey: secret }, creators, voters);
    if (!found) {
      throw new GatewayError('UNPROCESSABLE_ENTITY', `the vote does not decrypt with poll ${pollMsgId}'s key for creator ${creators.join(' or ')} and voter ${voters.join(' or ')}; check pollEncKey, pollMsgId and the JIDs`);
    }
    const names = input.pollOptions && input.pollOptions.length > 0 ? input.pollOptions : (stored?.options ?? []);
    const chosen = selectedOptionNames(names, found.hashes);
    return {
      messageKey: { ...(vote.pollKey ?? {}), id: pollMsgId },
      pollCreatorJid: found.pollCreatorJid,
      voterJid: found.voterJid,
      selectedOptionHashes: found.hashes.map((hash) => hash.toString('hex')),
      votedOptionNames: chosen,
      votedOptionIndexes: chosen.map((name) => names.indexOf(name)),
      pollTitle: stored?.title ?? null,
      selectableOptionsCount: stored?.selectableOptionsCount ?? null,
      pollOptions: names.map((name, index) => ({ index, name })),
      timestampMs: vote.senderTimestampMs,
      pollSource: givenKey ? 'request' : 'store',
    };
  }

  /** The distinct user JIDs among `sources`, each with its other form when the session knows it. */
  private async jidForms(sources: readonly (string | null | undefined)[], engine: EngineSession | undefined): Promise<string[]> {
    const forms = new Set(sources.map((source) => voteJid(source)).filter((jid): jid is string => !!jid));
    if (engine) {
      for (const jid of [...forms]) {
        const ref = await engine.contacts.resolveLid(jid).catch(() => null);
        for (const other of [ref?.pn, ref?.lid]) if (other) forms.add(other);
      }
    }
    return [...forms];
  }

  /** Phone validation, plus whether the number is on WhatsApp when a session is named. */
  async validatePhone(command: SessionCommand, phone: string, country?: string): Promise<PhoneValidation & { exists: boolean | null; lid: string | null }> {
    const result = validatePhone(phone, country);
    const engine = await this.optionalEngine(command);
    if (!engine || !result.jid) return { ...result, exists: null, lid: null };
    const [found] = await engine.contacts.onWhatsApp([result.jid.split('@')[0]!]);
    return { ...result, exists: found?.exists ?? false, jid: found?.jid ?? result.jid, lid: found?.lid ?? null };
  }

  /** JID validation, plus whether a phone-number JID is on WhatsApp when a session is named. */
  async validateJid(command: SessionCommand, jid: string): Promise<JidValidation & { exists: boolean | null }> {
    const result = validateJid(jid);
    const engine = await this.optionalEngine(command);
    if (!engine || !result.isValid || result.type !== 'user' || result.server !== 's.whatsapp.net') return { ...result, exists: null };
    const [found] = await engine.contacts.onWhatsApp([result.user!]);
    return { ...result, exists: found?.exists ?? false };
  }

  /** PN → LID or LID → PN, from what the session knows (and, for a PN, WhatsApp's usync). */
  async resolve(command: SessionCommand, input: string): Promise<ResolvedId> {
    const parsed = validateJid(input);
    if (!parsed.isValid || (parsed.type !== 'user' && parsed.type !== 'lid') || parsed.server === 'hosted' || parsed.server === 'hosted.lid') {
      throw new GatewayError('INVALID_PARAMETER', `input "${input.slice(0, 60)}" is not a person: send a phone number, a …@s.whatsapp.net JID or a …@lid${parsed.reason ? ` (${parsed.reason})` : ''}`);
    }
    const { session, engine } = await this.deps.access.working(command, HIDE_FOREIGN);
    const type = parsed.type === 'lid' ? 'lid' : 'jid';
    const stored = await findContact(this.deps.db, session.id, parsed.normalized!);
    if (stored?.pn && stored.lid) return { input, isValid: true, type, jid: stored.pn, lid: stored.lid, resolved: true, source: 'store', reason: null };
    const ref: ContactRef = await engine.contacts.resolveLid(parsed.normalized!);
    const jid = ref.pn ?? (type === 'jid' ? parsed.normalized : null);
    const lid = ref.lid ?? (type === 'lid' ? parsed.normalized : null);
    const resolved = !!jid && !!lid;
    return { input, isValid: true, type, jid, lid, resolved, source: 'whatsapp', reason: resolved ? null : type === 'lid' ? UNRESOLVED_LID : UNKNOWN_NUMBER };
  }

  private async optionalEngine(command: SessionCommand): Promise<EngineSession | undefined> {
    const named = command.session.sessionId !== undefined || command.session.phone !== undefined;
    return named ? (await this.deps.access.working(command, HIDE_FOREIGN)).engine : undefined;
  }
}

