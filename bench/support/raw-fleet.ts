// The benchmark's handle on raw-fleet-process.ts: raw Baileys clients in their own process, commanded over IPC.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxEndpoints } from './gateway-process.js';
import { forkTs, stopChild } from './processes.js';
import { pollUntil, withTimeout } from './wall-clock.js';

type Pending = { resolve(value: any): void; reject(error: Error): void };

export class RawFleet {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`raw Baileys fleet: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the raw Baileys fleet process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async start(sandbox: SandboxEndpoints): Promise<RawFleet> {
    const child = forkTs(fileURLToPath(new URL('./raw-fleet-process.ts', import.meta.url)), {
      FLEET_WS_URL: sandbox.wsUrl,
      FLEET_CONTROL_URL: sandbox.controlUrl,
      FLEET_TRUST_ROOT: sandbox.rootPublicKey
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the raw Baileys fleet process exited (${code}) before it was ready`)));
    });
    await withTimeout(ready, 60_000, 'the raw Baileys fleet process to start');
    return new RawFleet(child);
  }

  private call<T>(command: string, args: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, command, args });
    return withTimeout(answer, timeoutMs, `the raw Baileys fleet to ${command}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  link(phones: string[]): Promise<void> {
    return this.call('link', { phones }, 120_000 + phones.length * 2_000);
  }

  /** Client i sends `perClient` texts to recipients[i], each awaited to the server ack; clients in parallel. */
  sendTexts(recipients: string[], perClient: number, tag: string): Promise<void> {
    return this.call('sendTexts', { recipients, perClient, tag }, 300_000);
  }

  /** Links a client to `phone` (history set beforehand); resolves with ms from the QR posted to the whole history emitted. */
  linkForHistory(phone: string, chats: number, messages: number): Promise<number> {
    return this.call('linkForHistory', { phone, chats, messages }, 660_000);
  }

  /** Resolves with the wall time each id's messages.upsert fired in the fleet, once all have. */
  async upsertTimes(ids: string[], timeoutMs: number): Promise<number[]> {
    let missing = ids.length;
    return pollUntil(
      async () => {
        const times = await this.call<(number | null)[]>('upsertTimes', { ids }, 30_000);
        missing = times.filter((t) => t === null).length;
        return missing === 0 ? (times as number[]) : undefined;
      },
      { what: `${ids.length} messages at the raw clients`, timeoutMs, intervalMs: 100, progress: () => `${missing} missing` }
    );
  }

  async stop(): Promise<void> {
    await this.call('stop', {}, 10_000).catch(() => undefined);
    await stopChild(this.child);
  }
}
