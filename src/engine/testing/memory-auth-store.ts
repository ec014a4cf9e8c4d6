// An in-memory AuthStateStore for tests: same contract as the database-backed one, plus counters to assert on.
import type { AuthStateStore } from '../port.js';

export class MemoryAuthStore implements AuthStateStore {
  creds: string | null = null;
  readonly keys = new Map<string, string>();
  purges = 0;

  async loadCreds(): Promise<string | null> {
    return this.creds;
  }

  async saveCreds(json: string): Promise<void> {
    this.creds = json;
  }

  async getKeys(type: string, ids: string[]): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    for (const id of ids) {
      const value = this.keys.get(`${type}/${id}`);
      if (value !== undefined) found[id] = value;
    }
    return found;
  }

  async setKeys(writes: Record<string, Record<string, string | null>>): Promise<void> {
    for (const [type, entries] of Object.entries(writes)) {
      for (const [id, value] of Object.entries(entries)) {
        if (value === null) this.keys.delete(`${type}/${id}`);
        else this.keys.set(`${type}/${id}`, value);
      }
    }
  }

  async purge(): Promise<void> {
    this.creds = null;
    this.keys.clear();
    this.purges += 1;
  }

  get empty(): boolean {
    return this.creds === null && this.keys.size === 0;
  }
}
