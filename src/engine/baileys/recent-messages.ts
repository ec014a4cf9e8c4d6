// The last messages a session sent or received, for Baileys' getMessage (a recipient asks for a message again)
// and for poll votes, when the consumer's store has no content for them. Kept encoded: a text is about 100 bytes
// as protobuf bytes and over 1 KB as the decoded objects, and it is read back rarely. With a limit of 0 (a store
// that keeps every message's content) nothing is kept, nor encoded.
import { proto } from 'baileys';
import { BoundedMap } from '../../lib/bounded-map.js';

export class RecentMessages {
  private readonly encoded: BoundedMap<string, Uint8Array>;

  constructor(private readonly limit: number) {
    this.encoded = new BoundedMap(limit);
  }

  remember(id: string, message: proto.IMessage | null | undefined): void {
    if (!message || this.limit === 0) return;
    // A copy: the encoder's bytes can be a slice of a shared 8 KB pool, which the slice would keep alive.
    this.encoded.set(id, new Uint8Array(proto.Message.encode(message).finish()));
  }

  find(id: string): proto.IMessage | undefined {
    const bytes = this.encoded.get(id);
    return bytes ? proto.Message.decode(bytes) : undefined;
  }
}
