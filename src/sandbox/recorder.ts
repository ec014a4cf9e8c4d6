// Bounded record of every stanza exchanged with each device, served by the control API for debugging.
import type { BinaryNode } from 'baileys';
import { nodeToJson } from './stanza.js';

export interface RecordedStanza {
  seq: number;
  at: number;
  device: string;
  direction: 'in' | 'out';
  stanza: unknown;
}

export class StanzaRecorder {
  private readonly entries: RecordedStanza[] = [];
  private seq = 0;
  constructor(private readonly capacity = 20_000) {}

  record(device: string, direction: 'in' | 'out', stanza: BinaryNode): void {
    if (this.capacity === 0) return;
    if (this.entries.length >= this.capacity) this.entries.shift();
    this.entries.push({ seq: ++this.seq, at: Date.now(), device, direction, stanza: nodeToJson(stanza) });
  }

  list(filter: { device?: string; limit?: number } = {}): RecordedStanza[] {
    const wanted = filter.device;
    // A bare number or account JID matches all of that account's devices; a device JID matches exactly.
    const user = wanted?.includes(':') ? undefined : wanted?.split('@')[0];
    const matching = wanted
      ? this.entries.filter((e) => e.device === wanted || (user !== undefined && e.device.split(/[:@]/)[0] === user))
      : this.entries;
    return matching.slice(-(filter.limit ?? 500));
  }
}
