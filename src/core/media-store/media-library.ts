// The stored media: files addressed by the hex SHA-256 of their bytes. Outbound files are stored as a send is
// accepted (queued sends survive a crash without bytes in the database); received files are recorded with the
// message that carried them, stored when downloaded (in the background, or on first request through that
// message's session) and served to principals allowed on that session, or to anyone holding a signed link.
import { createHash } from 'node:crypto';
import { EngineNotConnectedError, EngineRemoteError } from '../../engine/errors.js';
import type { MessageCommands } from '../../engine/port.js';
import type { InboundMedia } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { getMedia, markMediaStored, recordMedia, sourceMessageRaw, touchMedia, type Media, type MediaSourceRef, type NewMedia } from '../../store/repos/media.js';
import { getSession } from '../../store/repos/sessions.js';
import { maySessionAccess, type Principal } from '../auth/principal.js';
import { GatewayError } from '../errors.js';
import type { RuntimeLogger } from '../sessions/session-runtime.js';
import { MediaLinks, type LinkCheck } from './media-links.js';
import { isMediaId, type MediaStorage } from './storage.js';

/** How the library reaches a session's engine to download a file on demand (SessionAccess fits). */
export interface MediaSessions {
  workingById(sessionId: string): Promise<{ engine: { messages: Pick<MessageCommands, 'downloadMedia'> } }>;
}

export interface MediaLibraryOptions {
  db: Db;
  storage: MediaStorage;
  sessions: MediaSessions;
  /** the gateway's public base URL, read when a link is made (the port is known only once it listens) */
  baseUrl: () => string;
  urlTtlSeconds: number;
  logger: RuntimeLogger;
  now?: () => number;
}

/** A received file and the message that carried it. */
export interface InboundFile {
  sessionId: string;
  chat: string;
  messageId: string;
  media: InboundMedia;
}

export interface StoredFile {
  id: string;
  mimetype: string;
  size: number;
}

export interface MediaFile {
  id: string;
  bytes: Buffer;
  mimetype: string;
  fileName: string | null;
}

/** A received file as webhook payloads describe it; `url` is a signed link that needs no API key. */
export interface MediaPayload {
  id: string;
  mimetype: string;
  size: number | null;
  fileName: string | null;
  seconds: number | null;
  voiceNote: boolean;
  url: string;
}

const UNKNOWN_TYPE = 'application/octet-stream';

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The content address WhatsApp announced for a received file, or null when it announced none (or garbage). */
export function inboundMediaId(media: InboundMedia): string | null {
  const id = media.sha256?.toLowerCase() ?? null;
  return id !== null && isMediaId(id) ? id : null;
}

/** The record of a received file, or null when its content address is unknown. */
export function inboundRecord({ sessionId, chat, messageId, media }: InboundFile): NewMedia | null {
  const id = inboundMediaId(media);
  if (id === null) return null;
  return { id, mimetype: media.mimetype ?? UNKNOWN_TYPE, size: media.size, fileName: media.fileName, source: { sessionId, chat, messageId } };
}

const notFound = (id: string) => new GatewayError('MEDIA_NOT_FOUND', `Media ${id} not found`);

export class MediaLibrary {
  private readonly links: MediaLinks;
  private readonly db: Db;
  private readonly storage: MediaStorage;
  private readonly now: () => number;
  /** downloads in flight, by id: concurrent requests for one file share one download */
  private readonly downloads = new Map<string, Promise<Buffer>>();

  constructor(private readonly options: MediaLibraryOptions) {
    this.db = options.db;
    this.storage = options.storage;
    this.now = options.now ?? Date.now;
    this.links = new MediaLinks({ db: options.db, baseUrl: options.baseUrl, ttlSeconds: options.urlTtlSeconds, now: this.now });
  }

  /** Stores a file to send (idempotent: the same bytes are stored once). */
  async storeBytes(bytes: Buffer, { mimetype, fileName }: { mimetype: string; fileName: string | null }): Promise<StoredFile> {
    const id = sha256Hex(bytes);
    await this.storage.put(id, bytes);
    await recordMedia(this.db, { id, mimetype, size: bytes.length, fileName, source: null }, this.now());
    await markMediaStored(this.db, id);
    return { id, mimetype, size: bytes.length };
  }

  /** The stored bytes, or null when they are not stored (here). */
  read(id: string): Promise<Buffer | null> {
    return this.storage.get(id);
  }

  isStored(id: string): Promise<boolean> {
    return this.storage.has(id);
  }

  /**
   * Records a received file with the message that carried it, inside the caller's transaction (the message
   * reducer's); not stored yet. Returns its id, or null when WhatsApp announced no SHA-256 for it.
   */
  async recordInbound(trx: Db, file: InboundFile): Promise<string | null> {
    const record = inboundRecord(file);
    if (!record) return null;
    await recordMedia(trx, record, this.now());
    return record.id;
  }

  /** The file as a webhook payload describes it. Inside a transaction, pass it as `db` (see MediaLinks.sign). */
  async payload(media: InboundMedia, id: string, db?: Db): Promise<MediaPayload> {
    const { url } = await this.links.sign(id, db);
    return {
      id,
      mimetype: media.mimetype ?? UNKNOWN_TYPE,
      size: media.size,
      fileName: media.fileName,
      seconds: media.seconds,
      voiceNote: media.voiceNote,
      url,
    };
  }

  /** Whether a signed link's `expires` and `signature` are valid for `id` (constant time). */
  verify(id: string, expires: string, signature: string): Promise<LinkCheck> {
    return this.links.check(id, expires, signature);
  }

  /**
   * A file for a principal: the admin any; a user key those received by its sessions; a session token those
   * received by its session. Anything else is 404 MEDIA_NOT_FOUND, as if the file did not exist.
   */
  async fetch(rawId: string, principal: Principal | null): Promise<MediaFile> {
    const id = rawId.toLowerCase();
    const media = isMediaId(id) ? await getMedia(this.db, id) : undefined;
    if (!media || !(await this.mayRead(principal, media))) throw notFound(id);
    return this.load(media);
  }

  /** A file through a signed link: no principal, the link is the permission (403 when forged or expired). */
  async fetchSigned(rawId: string, expires: string, signature: string): Promise<MediaFile> {
    const id = rawId.toLowerCase();
    if (!isMediaId(id)) throw notFound(id);
    const check = await this.verify(id, expires, signature);
    if (check === 'invalid') {
      throw new GatewayError('FORBIDDEN', 'This media link is not valid: its signature does not match; use the link exactly as the webhook gave it');
    }
    if (check === 'expired') {
      throw new GatewayError(
        'FORBIDDEN',
        `This media link expired at ${new Date(Number(expires) * 1000).toISOString()}; fetch the file with an API key, or use the link of a newer webhook`,
      );
    }
    const media = await getMedia(this.db, id);
    if (!media) throw notFound(id);
    return this.load(media);
  }

  /**
   * Downloads a received file, checks it is the announced one (its SHA-256 is its id), stores it, records it as
   * stored and returns its bytes. A file that does not match is refused (502 MEDIA_DOWNLOAD_FAILED), nothing stored.
   */
  saveDownload(file: NewMedia, download: () => Promise<Buffer>): Promise<Buffer> {
    const pending = this.downloads.get(file.id);
    if (pending) return pending;
    const job = this.downloadAndStore(file, download).finally(() => this.downloads.delete(file.id));
    this.downloads.set(file.id, job);
    return job;
  }

  private async downloadAndStore(file: NewMedia, download: () => Promise<Buffer>): Promise<Buffer> {
    const bytes = await download();
    const actual = sha256Hex(bytes);
    if (actual !== file.id) {
      throw new GatewayError('MEDIA_DOWNLOAD_FAILED', `The file downloaded for media ${file.id} has another SHA-256 (${actual}); nothing was stored, retry later`);
    }
    await this.storage.put(file.id, bytes);
    // The message's own record may not be committed yet (background downloads race the reducer).
    await recordMedia(this.db, file, this.now());
    await markMediaStored(this.db, file.id);
    return bytes;
  }

  private async mayRead(principal: Principal | null, media: Media): Promise<boolean> {
    if (principal?.kind === 'admin') return true;
    if (!media.source) return false;
    const session = await getSession(this.db, media.source.sessionId);
    return !!session && maySessionAccess(principal, { id: session.id, owner: session.ownerKeyId });
  }

  private async load(media: Media): Promise<MediaFile> {
    const stored = await this.storage.get(media.id);
    // Stored bytes without the flag: the process stopped between storing and recording it.
    if (stored && !media.stored) await markMediaStored(this.db, media.id);
    const bytes = stored ?? (await this.downloadOnDemand(media));
    await touchMedia(this.db, media.id, this.now());
    return { id: media.id, bytes, mimetype: media.mimetype, fileName: media.fileName };
  }

  private async downloadOnDemand(media: Media): Promise<Buffer> {
    const { id, source } = media;
    if (!source) throw new GatewayError('MEDIA_NOT_AVAILABLE', `Media ${id} is not stored and came with no received message, so it cannot be downloaded again`);
    const raw = await sourceMessageRaw(this.db, source);
    if (raw === undefined) {
      throw new GatewayError('MEDIA_NOT_AVAILABLE', `Media ${id} is not stored, and the message that carried it (${source.messageId}) is no longer stored, so it cannot be downloaded again`);
    }
    if (raw === null) {
      throw new GatewayError(
        'MEDIA_NOT_AVAILABLE',
        `Media ${id} is not stored, and the message that carried it (${source.messageId}) was stored without its content (WAYGATE_MESSAGE_RETENTION=keys), so it cannot be downloaded again`,
      );
    }
    const { engine } = await this.sourceSession(id, source);
    try {
      const record = { id, mimetype: media.mimetype, size: media.size, fileName: media.fileName, source };
      return await this.saveDownload(record, () => engine.messages.downloadMedia(JSON.parse(raw)));
    } catch (err) {
      throw this.downloadFailure(id, source, err);
    }
  }

  private async sourceSession(id: string, source: MediaSourceRef) {
    try {
      return await this.options.sessions.workingById(source.sessionId);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      throw new GatewayError(err.code, `Media ${id} is not stored yet and can only be downloaded through session "${source.sessionId}": ${err.message}`, { cause: err });
    }
  }

  private downloadFailure(id: string, source: MediaSourceRef, err: unknown): Error {
    if (err instanceof GatewayError || err instanceof EngineNotConnectedError) return err;
    if (err instanceof EngineRemoteError && (err.code === 404 || err.code === 410)) {
      return new GatewayError('MEDIA_NOT_AVAILABLE', `WhatsApp no longer has media ${id} (its servers keep files for a limited time)`, { cause: err });
    }
    this.options.logger.warn({ err, mediaId: id, sessionId: source.sessionId }, 'media download failed');
    return new GatewayError('MEDIA_DOWNLOAD_FAILED', `Could not download media ${id} through session "${source.sessionId}"; retry later`, { cause: err });
  }
}
