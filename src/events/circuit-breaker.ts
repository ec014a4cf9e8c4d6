// Per-URL circuit breaker, in memory: after N consecutive failed attempts a URL is skipped for a cool-down,
// then one probe is let through (half-open); its success closes the circuit, its failure reopens it.

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

interface Circuit {
  failures: number;
  /** Set while open: until when nothing is sent. */
  openUntil: number | undefined;
  probing: boolean;
}

export class CircuitBreaker {
  readonly #circuits = new Map<string, Circuit>();

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** Whether nothing may be sent to `url` now: open and cooling down, or a half-open probe is in flight. */
  isBlocked(url: string, now: number): boolean {
    const circuit = this.#circuits.get(url);
    if (!circuit) return false;
    return circuit.probing || (circuit.openUntil !== undefined && circuit.openUntil > now);
  }

  blockedUrls(now: number): string[] {
    return [...this.#circuits.keys()].filter((url) => this.isBlocked(url, now));
  }

  /** The earliest time an open circuit allows its probe, if any circuit is open. */
  nextProbeAt(now: number): number | undefined {
    const times = [...this.#circuits.values()]
      .filter((circuit) => !circuit.probing && circuit.openUntil !== undefined && circuit.openUntil > now)
      .map((circuit) => circuit.openUntil as number);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Call when an attempt to an unblocked `url` starts; on an open circuit past its cool-down it is the probe. */
  attemptStarted(url: string, now: number): void {
    const circuit = this.#circuits.get(url);
    if (circuit?.openUntil !== undefined && circuit.openUntil <= now) circuit.probing = true;
  }

  succeeded(url: string): void {
    this.#circuits.delete(url);
  }

  failed(url: string, now: number): void {
    const circuit = this.#circuits.get(url) ?? { failures: 0, openUntil: undefined, probing: false };
    circuit.failures += 1;
    if (circuit.probing || circuit.failures >= this.options.failureThreshold) {
      circuit.openUntil = now + this.options.cooldownMs;
      circuit.probing = false;
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
