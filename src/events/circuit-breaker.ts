// Per-URL circuit breaker, in memory: after N consecutive failed attempts a URL's circuit opens and its lanes
// pause. Probes then test the URL one at a time, the first after a short wait and each further one after twice
// the last wait, up to a cap (longer if the receiver asked with Retry-After); a probe's success closes it.

export interface CircuitBreakerOptions {
  failureThreshold: number;
  /** Wait before the first probe. */
  probeBaseMs: number;
  /** Longest wait between probes. */
  probeMaxMs: number;
}

interface Circuit {
  failures: number;
  /** Set while open: the earliest time of the next probe. */
  openUntil: number | undefined;
  failedProbes: number;
  probing: boolean;
}

export class CircuitBreaker {
  readonly #circuits = new Map<string, Circuit>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** Open, waiting for its probe or probing: only a probe may be sent to the URL. */
  isOpen(url: string): boolean {
    return this.#circuits.get(url)?.openUntil !== undefined;
  }

  openUrls(): string[] {
    return [...this.#circuits.keys()].filter((url) => this.isOpen(url));
  }

  /** URLs whose next probe may start now. */
  probesDue(now: number): string[] {
    return [...this.#circuits]
      .filter(([, circuit]) => !circuit.probing && circuit.openUntil !== undefined && circuit.openUntil <= now)
      .map(([url]) => url);
  }

  /** The earliest time an open circuit allows its probe, if any circuit is waiting for one. */
  nextProbeAt(now: number): number | undefined {
    const times = [...this.#circuits.values()]
      .filter((circuit) => !circuit.probing && circuit.openUntil !== undefined && circuit.openUntil > now)
      .map((circuit) => circuit.openUntil as number);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Call when an attempt to `url` starts; on an open circuit past its wait it is the probe. */
  attemptStarted(url: string, now: number): void {
    const circuit = this.#circuits.get(url);
    if (circuit?.openUntil !== undefined && circuit.openUntil <= now) circuit.probing = true;
  }

  /** @returns whether the URL had been failing (its circuit was open or counting failures). */
  succeeded(url: string): boolean {
    return this.#circuits.delete(url);
  }

  /** @param notBeforeMs the receiver's Retry-After: no probe sooner than this. */
  failed(url: string, now: number, notBeforeMs = 0): void {
    const circuit = this.#circuits.get(url) ?? { failures: 0, openUntil: undefined, failedProbes: 0, probing: false };
    circuit.failures += 1;
    const opening = circuit.openUntil === undefined && circuit.failures >= this.options.failureThreshold;
    if (circuit.probing) circuit.failedProbes += 1;
    if (opening || circuit.probing) {
      const wait = Math.min(this.options.probeMaxMs, this.options.probeBaseMs * 2 ** circuit.failedProbes);
      circuit.openUntil = now + Math.max(wait, notBeforeMs);
      circuit.probing = false;
    } else if (circuit.openUntil !== undefined) {
      circuit.openUntil = Math.max(circuit.openUntil, now + notBeforeMs);
    }
    this.#circuits.set(url, circuit);
  }

  /** Ends a probe that produced no verdict on the target's health, so another may be tried. */
  inconclusive(url: string): void {
    const circuit = this.#circuits.get(url);
    if (circuit) circuit.probing = false;
  }

  state(url: string, now: number): 'closed' | 'open' | 'half-open' {
    const circuit = this.#circuits.get(url);
    if (circuit?.openUntil === undefined) return 'closed';
    return circuit.openUntil > now && !circuit.probing ? 'open' : 'half-open';
  }
}
