// The benchmark's handle on raw-fleet-process.ts: raw Baileys clients in processes of their own, commanded over
// IPC. Unmodified Baileys gives every socket its own AsyncLocalStorage (Baileys issue #2806), and each one slows
// every promise in its process, so a fleet holds at most BENCH_RAW_CLIENTS_PER_PROCESS (50) clients a process and
// starts another process for more: a baseline of 1,000 clients is twenty fleets of 50, not one Baileys process
// that could not link them.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxEndpoints } from './gateway-process.js';
import { forkTs, stopChild } from './processes.js';
import { pollUntil, withTimeout } from './wall-clock.js';

const CLIENTS_PER_PROCESS = Number(process.env.BENCH_RAW_CLIENTS_PER_PROCESS ?? 50);

type Pending = { resolve(value: any): void; reject(error: Error): void };

/** One process of raw clients. */
class FleetProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** clients linked in this process, in the order the process holds them */
  clients = 0;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`raw Baileys fleet: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`a raw Baileys fleet process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async start(sandbox: SandboxEndpoints): Promise<FleetProcess> {
    const child = forkTs(fileURLToPath(new URL('./raw-fleet-process.ts', import.meta.url)), {
      FLEET_WS_URL: sandbox.wsUrl,
      FLEET_CONTROL_URL: sandbox.controlUrl,
      FLEET_TRUST_ROOT: sandbox.rootPublicKey
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`a raw Baileys fleet process exited (${code}) before it was ready`)));
    });
    await withTimeout(ready, 60_000, 'a raw Baileys fleet process to start');
    return new FleetProcess(child);
  }

  call<T>(command: string, args: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, command, args });
    return withTimeout(answer, timeoutMs, `the raw Baileys fleet to ${command}`);
  }

  async stop(): Promise<void> {
    await this.call('stop', {}, 10_000).catch(() => undefined);
    await stopChild(this.child);
  }
}

export class RawFleet {
  /** sends that went again, as an app sends them: after their client reconnected, or with the same id without an ack in time */
  resends = 0;

  private constructor(
    private readonly sandbox: SandboxEndpoints,
    private readonly processes: FleetProcess[]
  ) {}

  /** Starts the processes `clients` clients need (at least one), so their CPU is counted from before the first link. */
  static async start(sandbox: SandboxEndpoints, clients = 1): Promise<RawFleet> {
    if (!Number.isInteger(CLIENTS_PER_PROCESS) || CLIENTS_PER_PROCESS < 1) throw new Error(`BENCH_RAW_CLIENTS_PER_PROCESS must be a positive integer, got ${CLIENTS_PER_PROCESS}`);
    const count = Math.max(1, Math.ceil(clients / CLIENTS_PER_PROCESS));
    return new RawFleet(sandbox, await Promise.all(Array.from({ length: count }, () => FleetProcess.start(sandbox))));
  }

  /** The fleet's processes (CPU and idleness are read over all of them). */
  get pids(): number[] {
    return this.processes.map((p) => p.child.pid!);
  }

  /** The first process with room, or a new one when all are full. */
  private async withRoom(): Promise<FleetProcess> {
    const open = this.processes.find((p) => p.clients < CLIENTS_PER_PROCESS);
    if (open) return open;
    const added = await FleetProcess.start(this.sandbox);
    this.processes.push(added);
    return added;
  }

  /** Links a client to each phone (accounts created here), filling one process before the next. */
  async link(phones: string[]): Promise<void> {
    for (let rest = phones; rest.length > 0; ) {
      const target = await this.withRoom();
      const batch = rest.slice(0, CLIENTS_PER_PROCESS - target.clients);
      await target.call('link', { phones: batch }, 120_000 + batch.length * 2_000);
      target.clients += batch.length;
      rest = rest.slice(batch.length);
    }
  }

  /** Resolves once every client is open, so a timed phase does not begin with reconnections. */
  async allOpen(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.call('allOpen', {}, 200_000)));
  }

  /**
   * Client `from + i` (in link order) sends `perClient` texts to recipients[i], each awaited to the server ack;
   * clients in parallel. A send that fails on a closed connection goes again once its client has reconnected, one
   * without an ack in 15 s goes again with the same id (counted in `resends`).
   */
  async sendTexts(recipients: string[], perClient: number, tag: string, from = 0): Promise<void> {
    const linked = this.processes.reduce((sum, p) => sum + p.clients, 0);
    if (from + recipients.length > linked) throw new Error(`senders ${from}–${from + recipients.length - 1} asked for, ${linked} linked`);
    const sends: Promise<number>[] = [];
    let start = 0;
    for (const p of this.processes) {
      const first = Math.max(from, start);
      const end = Math.min(from + recipients.length, start + p.clients);
      if (first < end) sends.push(p.call<number>('sendTexts', { recipients: recipients.slice(first - from, end - from), first: first - start, perClient, tag }, 300_000));
      start += p.clients;
    }
    for (const resent of await Promise.all(sends)) this.resends += resent;
  }

  /** Links a client to `phone` (history set beforehand); resolves with ms from the QR posted to the whole history emitted. */
  async linkForHistory(phone: string, chats: number, messages: number): Promise<number> {
    const target = await this.withRoom();
    target.clients += 1;
    return target.call('linkForHistory', { phone, chats, messages }, 660_000);
  }

  /** Resolves with the wall time each id's messages.upsert fired in the fleet, once all have. */
  async upsertTimes(ids: string[], timeoutMs: number): Promise<number[]> {
    let missing = ids.length;
    return pollUntil(
      async () => {
        const perProcess = await Promise.all(this.processes.map((p) => p.call<(number | null)[]>('upsertTimes', { ids }, 30_000)));
        const times = ids.map((_, i) => perProcess.map((t) => t[i]).find((t) => t !== null && t !== undefined) ?? null);
        missing = times.filter((t) => t === null).length;
        return missing === 0 ? (times as number[]) : undefined;
      },
      { what: `${ids.length} messages at the raw clients`, timeoutMs, intervalMs: 100, progress: () => `${missing} missing` }
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
  }
}
