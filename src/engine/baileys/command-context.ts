// What a command module needs from its session: the live socket (only while WORKING), a bounded and
// error-mapped way to call WhatsApp, JID resolution and the shared caches.
import type { GroupMetadata as BaileysGroupMetadata, WAMessage, WASocket } from 'baileys';
import type { BoundedMap } from './bounded-map.js';
import type { JidResolver } from './jid-resolver.js';

export type SocketCall<T> = (sock: WASocket) => Promise<T>;

export interface CommandContext {
  /**
   * Runs `call` on the connected socket: rejects with EngineNotConnectedError unless the session is WORKING,
   * with EngineTimeoutError after the command timeout, and with the port's errors for WhatsApp's failures.
   */
  call<T>(operation: string, call: SocketCall<T>): Promise<T>;
  resolver: JidResolver;
  groupMetadata: BoundedMap<string, BaileysGroupMetadata>;
  recentMessages: BoundedMap<string, WAMessage>;
}
