// Keeps the message store bounded: stored messages older than WAYGATE_MESSAGE_RETENTION_DAYS go (with their
// media files once nothing else used them since), settled sends and answered send requests after a week (an
// Idempotency-Key is honoured that long). Runs hourly on every node; each pass is idempotent.
import type { Db } from '../../store/database.js';
import { deleteMedia, listMediaToPrune } from '../../store/repos/media.js';
import { pruneMessages } from '../../store/repos/messages.js';
import { pruneSettledSends } from '../../store/repos/outbound.js';
import type { MediaStorage } from '../media-store/storage.js';

const DAY_MS = 86_400_000;
export const SETTLED_SEND_MAX_AGE_MS = 7 * DAY_MS;
const PRUNE_INTERVAL_MS = 3_600_000;
const MEDIA_BATCH = 500;

export interface MessageRetentionOptions {
  db: Db;
  storage: MediaStorage;
  /** 0 keeps messages (and media) forever */
  retentionDays: number;
  logger: { error(obj: unknown, msg?: string): void };
}

export interface PruneResult {
  messages: number;
  media: number;
}

export async function pruneMessageStore({ db, storage, retentionDays }: Omit<MessageRetentionOptions, 'logger'>, now = Date.now()): Promise<PruneResult> {
  await pruneSettledSends(db, now - SETTLED_SEND_MAX_AGE_MS);
  if (retentionDays === 0) return { messages: 0, media: 0 };
  const cutoff = now - retentionDays * DAY_MS;
  const messages = await pruneMessages(db, cutoff);
  let media = 0;
  for (const file of await listMediaToPrune(db, cutoff, MEDIA_BATCH)) {
    // A queued send still names the file: keep it until the send settles.
    const queued = await db
      .selectFrom('outbound_messages')
      .select('id')
      .where('state', 'in', ['queued', 'sending'])
      .where('content', 'like', `%${file.id}%`)
      .executeTakeFirst();
    if (queued) continue;
    if (await deleteMedia(db, file.id, cutoff)) {
      await storage.delete(file.id);
      media++;
    }
  }
  return { messages, media };
}

export class MessageRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MessageRetentionOptions) {}

  start(): void {
    const run = () => void pruneMessageStore(this.options).catch((err) => this.options.logger.error({ err }, 'pruning the message store failed'));
    run();
    this.timer = setInterval(run, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
