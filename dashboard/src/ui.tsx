// Small building blocks every page uses: loading data, running an action with its outcome announced,
// labelled fields, status badges and times. Text is always rendered as text (Preact escapes it); nothing
// here sets HTML.
import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import { describe } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  reload(): void;
}

/** Loads `load()` now and whenever `deps` change; `reload()` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && (setData(value), setError(null)),
      (failure: unknown) => current && setError(describe(failure)),
    );
    return () => void (current = false);
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}

export type Outcome = { kind: 'ok' | 'error'; text: string } | null;

/** Runs actions one at a time and keeps the last outcome to announce. */
export interface Action {
  busy: boolean;
  outcome: Outcome;
  run(action: () => Promise<string | void>): Promise<boolean>;
  /** A form's submit handler that runs `action` instead of navigating. */
  submit(action: () => Promise<string | void>): (event: Event) => void;
  setOutcome(outcome: Outcome): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async (action: () => Promise<string | void>) => {
    setBusy(true);
    try {
      const text = await action();
      setOutcome(text ? { kind: 'ok', text } : null);
      return true;
    } catch (failure) {
      setOutcome({ kind: 'error', text: describe(failure) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submit = (action: () => Promise<string | void>) => (event: Event) => {
    event.preventDefault();
    void run(action);
  };
  return { busy, outcome, run, submit, setOutcome };
}

export function Notice({ outcome }: { outcome: Outcome }) {
  return (
    <p class={`notice ${outcome?.kind ?? ''}`} role={outcome?.kind === 'error' ? 'alert' : 'status'} aria-live="polite">
      {outcome?.text ?? ''}
    </p>
  );
}

export function LoadError({ error }: { error: string | null }) {
  return error ? <p class="notice error" role="alert">{error}</p> : null;
}

/** A labelled control (label tied by id, so its name is exactly the label); the hint is its description. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: VNode }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {cloneElement(children, { id, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}) })}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
    </div>
  );
}

interface TextInputProps {
  value: string;
  onInput(value: string): void;
  name?: string;
  type?: 'text' | 'password' | 'url' | 'number' | 'tel';
  required?: boolean;
  pattern?: string;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'tel' | 'numeric' | 'url';
  maxLength?: number;
  min?: number;
}

/** A text input bound to a state value. */
export function TextInput({ value, onInput, ...rest }: TextInputProps) {
  return <input {...rest} value={value} onInput={(event) => onInput(event.currentTarget.value)} />;
}

const STATUS_CLASS: Record<string, string> = { WORKING: 'good', SCAN_QR_CODE: 'wait', STARTING: 'wait', FAILED: 'bad', LOGGED_OUT: 'bad', STOPPED: 'idle' };

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge ${STATUS_CLASS[status] ?? 'idle'}`}>{status}</span>;
}

export function Time({ at }: { at: number | string | null | undefined }) {
  if (at === null || at === undefined) return <span>—</span>;
  const date = new Date(at);
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id ? `${id}-title` : undefined}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

/** Wide tables scroll inside their own box on small screens. */
export function Table({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
