// One device's one-time pre-keys, as the server keeps them between the device's upload and a contact's bundle
// fetch, which takes the oldest. Kept as records in one buffer (id, key length, key) rather than a Map of
// buffers: Baileys 7 uploads 812 a link, and a sandbox with 2,000 linked devices held 1.6 million small buffers
// that way (about 180 KB a device), whose collection stalled every client's traffic.

const ID_BYTES = 4;
/** a Curve25519 public key, with or without its 0x05 type prefix */
const MAX_PRE_KEY_BYTES = 33;
const RECORD_BYTES = ID_BYTES + 1 + MAX_PRE_KEY_BYTES;

/** Whether `publicKey` fits a record: what an upload may carry. */
export function isPreKeyValue(publicKey: Buffer): boolean {
  return publicKey.length > 0 && publicKey.length <= MAX_PRE_KEY_BYTES;
}

export interface PreKey {
  keyId: number;
  publicKey: Buffer;
}

export class PreKeyShelf {
  private records = Buffer.alloc(0);
  /** byte offset of the oldest record not taken */
  private head = 0;

  get size(): number {
    return (this.records.length - this.head) / RECORD_BYTES;
  }

  /** Keeps the keys after those already here; a key whose id is here already replaces it in its place. */
  add(keys: readonly PreKey[]): void {
    for (const { publicKey } of keys) {
      if (!isPreKeyValue(publicKey)) throw new RangeError(`a pre-key is 1–${MAX_PRE_KEY_BYTES} bytes, got ${publicKey.length}`);
    }
    const offsetOf = new Map<number, number>();
    for (let at = this.head; at < this.records.length; at += RECORD_BYTES) offsetOf.set(this.records.readUInt32BE(at), at);
    const added: PreKey[] = [];
    for (const key of keys) {
      const at = offsetOf.get(key.keyId);
      if (at === undefined) {
        offsetOf.set(key.keyId, -1);
        added.push(key);
      } else if (at >= 0) {
        this.write(this.records, at, key);
      } else {
        added[added.findIndex((k) => k.keyId === key.keyId)] = key;
      }
    }
    if (added.length === 0) return;
    const grown = Buffer.alloc(this.records.length - this.head + added.length * RECORD_BYTES);
    const kept = this.records.copy(grown, 0, this.head);
    added.forEach((key, i) => this.write(grown, kept + i * RECORD_BYTES, key));
    this.records = grown;
    this.head = 0;
  }

  /** The oldest key, removed from the shelf; undefined when none is left. */
  take(): PreKey | undefined {
    if (this.head >= this.records.length) return undefined;
    const at = this.head;
    const length = this.records[at + ID_BYTES]!;
    const key = {
      keyId: this.records.readUInt32BE(at),
      publicKey: Buffer.from(this.records.subarray(at + ID_BYTES + 1, at + ID_BYTES + 1 + length))
    };
    this.head += RECORD_BYTES;
    // Taken records are given back once they are half the buffer.
    if (this.head * 2 >= this.records.length) {
      // Buffer.alloc, not Buffer.from: a small copy would be a slice of Node's shared pool, holding 8 KB.
      const rest = Buffer.alloc(this.records.length - this.head);
      this.records.copy(rest, 0, this.head);
      this.records = rest;
      this.head = 0;
    }
    return key;
  }

  private write(target: Buffer, at: number, { keyId, publicKey }: PreKey): void {
    target.writeUInt32BE(keyId, at);
    target[at + ID_BYTES] = publicKey.length;
    publicKey.copy(target, at + ID_BYTES + 1);
  }
}
