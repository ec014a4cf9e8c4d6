// Fault injection played by the control API: dropped connections, refused connections, delayed or failed queries.
export type QueryFault = { query: string; delayMs?: number; error?: { code: number; text: string }; remaining: number };

export class FaultInjector {
  private refuseUntil = 0;
  private readonly queryFaults: QueryFault[] = [];

  refuseConnections(seconds: number): void {
    this.refuseUntil = Date.now() + seconds * 1000;
  }

  refusing(): boolean {
    return Date.now() < this.refuseUntil;
  }

  addQueryFault(fault: Omit<QueryFault, 'remaining'> & { count?: number }): void {
    this.queryFaults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  /** The fault for an IQ keyed `xmlns` or `xmlns:firstChild`, consuming one use. */
  takeQueryFault(keys: string[]): QueryFault | undefined {
    const index = this.queryFaults.findIndex((f) => keys.includes(f.query));
    if (index < 0) return undefined;
    const fault = this.queryFaults[index]!;
    if (--fault.remaining <= 0) this.queryFaults.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.refuseUntil = 0;
    this.queryFaults.length = 0;
  }
}
