// Downloads received media in the background, so it is stored before anyone asks: an EventTranslator that, for
// each received message with a file up to `autoDownloadBytes`, downloads it through the session's engine, checks
// its SHA-256 and stores it. Per session, at most `concurrency` downloads run and `maxPending` wait; a file
// beyond that (or whose download fails) is not lost: it is downloaded on its first request instead.
import type { EngineMessage } from '../../engine/types.js';
import type { NewMedia } from '../../store/repos/media.js';
import type { EventTranslator, RuntimeLogger } from '../sessions/session-runtime.js';
import { BoundedQueue } from './bounded-queue.js';
import { inboundRecord, type MediaLibrary } from './media-library.js';

export interface MediaDownloaderOptions {
  /** largest file downloaded in advance (bytes, as WhatsApp announced); 0 turns advance downloads off */
  autoDownloadBytes: number;
  logger: RuntimeLogger;
  /** downloads running at once per session (default 2) */
  concurrency?: number;
  /** downloads waiting per session before more are left to on-demand fetching (default 100) */
  maxPending?: number;
}

export function mediaDownloader(library: MediaLibrary, options: MediaDownloaderOptions): EventTranslator {
  const { autoDownloadBytes, logger } = options;
  return (runtime) => {
    if (autoDownloadBytes <= 0) return () => {};
    const sessionId = runtime.id;
    const queue = new BoundedQueue(options.concurrency ?? 2, options.maxPending ?? 100);
    let overflowing = false;

    const download = async (record: NewMedia, message: EngineMessage) => {
      try {
        if (await library.isStored(record.id)) return;
        await library.saveDownload(record, () => runtime.engine.messages.downloadMedia(message.raw));
      } catch (err) {
        logger.warn({ err, sessionId, mediaId: record.id, messageId: message.id }, 'media download failed; it will be downloaded on first request');
      }
    };

    const off = runtime.engine.events.on('message', (message) => {
      const { media } = message;
      // A file of unknown size could be anything: it is left to the first request.
      if (!media || media.size === null || media.size > autoDownloadBytes) return;
      const record = inboundRecord({ sessionId, chat: message.chat, messageId: message.id, media });
      if (!record) return;
      if (queue.offer(() => download(record, message))) {
        overflowing = false;
      } else if (!overflowing) {
        overflowing = true;
        logger.warn({ sessionId }, 'too many media downloads waiting; further files are downloaded on first request');
      }
    });
    return () => {
      off();
      queue.close();
    };
  };
}
