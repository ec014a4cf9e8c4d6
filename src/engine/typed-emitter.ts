// A small typed event emitter. A listener that throws or rejects is reported to `onListenerError` and never
// reaches the emitter, so one faulty subscriber cannot break the engine's state machine.

export type Listener<T> = (payload: T) => void | Promise<void>;

/** The subscribe-only face handed to consumers. */
export interface EventSource<M> {
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void;
  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void;
}

export class TypedEmitter<M> implements EventSource<M> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (event: keyof M, error: unknown) => void) {}

  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        const result = (listener as Listener<M[K]>)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.onListenerError(event, error));
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
