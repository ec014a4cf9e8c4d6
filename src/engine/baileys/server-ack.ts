// Waiting for WhatsApp's server to take a message. Baileys resolves a send once the stanza is written; the server
// then answers `<ack class="message" id=… t=… [error=…]/>`. Baileys itself only looks at acks with an error (it
// reports them as messages.update status ERROR: messages-recv.js handleBadAck), so the wait is ours.
import type { BinaryNode, WASocket } from 'baileys';
import { EngineNotConnectedError, EngineRemoteError } from '../errors.js';

const ACK_EVENT = 'CB:ack,class:message';

export interface Acknowledged<T> {
  result: T;
  /** the server's time of the ack, unix seconds, when it gave one */
  serverTime: number | null;
}

/**
 * Runs `send`, which writes message `id`, and resolves with its result once the server has acknowledged `id`;
 * rejects with EngineRemoteError when the ack carries an error, with EngineNotConnectedError when the socket
 * closes first. The listener is in place before `send` runs (an ack may arrive before Baileys' send returns) and
 * is removed when the send settles or `over` aborts (the command timed out).
 */
export async function withServerAck<T>(sock: WASocket, id: string, operation: string, over: AbortSignal, send: () => Promise<T>): Promise<Acknowledged<T>> {
  const { ws } = sock;
  let release = (): void => undefined;
  const acked = new Promise<number | null>((resolve, reject) => {
    const onAck = ({ attrs }: BinaryNode): void => {
      if (attrs.id !== id) return;
      const code = Number(attrs.error);
      if (attrs.error) reject(new EngineRemoteError(Number.isFinite(code) ? code : 500, `the server refused the message (ack error ${attrs.error})`, operation));
      else resolve(attrs.t ? Number(attrs.t) : null);
    };
    const onClose = (): void => reject(new EngineNotConnectedError('closed'));
    ws.on(ACK_EVENT, onAck);
    ws.on('close', onClose);
    release = () => {
      ws.off(ACK_EVENT, onAck);
      ws.off('close', onClose);
    };
  });
  // Settled while `send` still runs, or after the command gave up: nobody may be awaiting it yet.
  acked.catch(() => undefined);
  over.addEventListener('abort', release, { once: true });
  try {
    const result = await send();
    return { result, serverTime: await acked };
  } finally {
    release();
  }
}
