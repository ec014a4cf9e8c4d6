// What a command module needs from its session: the live socket (only while WORKING), a bounded and
// error-mapped way to call WhatsApp, JID resolution, the linked account, the shared caches and media trust.
import type { GroupMetadata as BaileysGroupMetadata, WASocket } from 'baileys';
import type { EngineLogger } from '../port.js';
import type { Me } from '../types.js';
import type { BoundedMap } from '../../lib/bounded-map.js';
import type { RecentMessages } from './recent-messages.js';
import type { JidResolver } from './jid-resolver.js';
import type { MediaTrust } from './media-trust.js';

/** `over` aborts once the command is over (answered, failed or timed out): release whatever the call waits on. */
export type SocketCall<T> = (sock: WASocket, over: AbortSignal) => Promise<T>;

export interface CommandContext {
  /**
   * Runs `call` on the connected socket: rejects with EngineNotConnectedError unless the session is WORKING,
   * with EngineTimeoutError after the command timeout, and with the port's errors for WhatsApp's failures.
   */
  call<T>(operation: string, call: SocketCall<T>): Promise<T>;
  resolver: JidResolver;
  me: () => Me | null;
  logger: EngineLogger;
  groupMetadata: BoundedMap<string, BaileysGroupMetadata>;
  recentMessages: RecentMessages;
  media: MediaTrust;
}
