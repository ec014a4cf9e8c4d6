// Background sampling of the process for /server/cpu-history: CPU %, load average and memory every interval, kept
// in a bounded ring buffer. The timer is unref'ed so it never keeps the process alive.
import { availableParallelism, loadavg } from 'node:os';

export interface CpuSample {
  /** Epoch ms at the end of the interval. */
  ts: number;
  /** Process CPU time over the interval as % of one core (may exceed 100 with worker threads). */
  cpuPercent: number;
  /** The same, as % of all cores. */
  cpuPercentOfHost: number;
  loadAverage: [number, number, number];
  rssBytes: number;
  heapUsedBytes: number;
}

/** A fixed-capacity FIFO that overwrites its oldest entry. */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    if (this.items.length < this.capacity) return [...this.items];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }

  get size(): number {
    return this.items.length;
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

export class CpuSampler {
  private readonly history: RingBuffer<CpuSample>;
  private timer: NodeJS.Timeout | undefined;
  private lastCpu = process.cpuUsage();
  private lastTime = process.hrtime.bigint();
  private readonly cores = availableParallelism();

  constructor(
    readonly intervalMs: number,
    capacity: number,
  ) {
    this.history = new RingBuffer(capacity);
  }

  start(): void {
    if (this.timer) return;
    this.lastCpu = process.cpuUsage();
    this.lastTime = process.hrtime.bigint();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Take one sample now (covering the time since the previous one) and store it. */
  sample(): CpuSample {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMicros = Number(now - this.lastTime) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    const percent = elapsedMicros > 0 ? ((cpu.user + cpu.system) / elapsedMicros) * 100 : 0;
    const memory = process.memoryUsage();
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    const sample: CpuSample = {
      ts: Date.now(),
      cpuPercent: round(percent),
      cpuPercentOfHost: round(percent / this.cores),
      loadAverage: [round(one), round(five), round(fifteen)],
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
    this.history.push(sample);
    return sample;
  }

  samples(limit?: number): CpuSample[] {
    const all = this.history.toArray();
    return limit === undefined ? all : all.slice(Math.max(0, all.length - limit));
  }

  get capacity(): number {
    return this.history.capacity;
  }

  get coreCount(): number {
    return this.cores;
  }
}
