// A small typed event emitter. A listener that throws or rejects is reported to `onListenerError` and never
// reaches the emitter, so one faulty subscriber cannot break the engine's state machine.

export type Listener<T> = (payload: T) => void | Promise<void>;

/** The subscribe-only face handed to consumers. */
export interface EventSource<M> {
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void;
  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void;
}

export class TypedEmitter<M> implements EventSource<M> {
  // Arrays, not Sets: every session has one emitter with a listener or two per event, and a Set costs about
  // five times the memory of a short array.
  private readonly listeners = new Map<keyof M, Listener<never>[]>();

  constructor(private readonly onListenerError: (event: keyof M, error: unknown) => void) {}

  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    const list = this.listeners.get(event);
    if (!list) this.listeners.set(event, [listener as Listener<never>]);
    else if (!list.includes(listener as Listener<never>)) list.push(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    const list = this.listeners.get(event);
    const index = list?.indexOf(listener as Listener<never>) ?? -1;
    if (index >= 0) list!.splice(index, 1);
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
