import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** The state of a value loaded from the API. */
export type Loaded<T> = { status: 'loading'; data?: T } | { status: 'ok'; data: T } | { status: 'error'; error: string; data?: T };

/** Loads `load()` whenever `deps` change (load itself may differ each render); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ status: 'loading', data: s.data }));
    load().then(
      (data) => live && setState({ status: 'ok', data }),
      (err: unknown) => live && setState((s) => ({ status: 'error', error: err instanceof Error ? err.message : String(err), data: s.data })),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return [state, useCallback(() => setRound((r) => r + 1), [])];
}

/**
 * Whether an element has come near the screen (once true, it stays): panels below the fold load
 * only when scrolled to, so a dashboard's first view waits for the queries it shows.
 */
export function useSeen<E extends Element>(margin = '200px'): [{ current: E | null }, boolean] {
  const ref = useRef<E>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || seen) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: margin });
    observer.observe(el);
    return () => observer.disconnect();
  }, [seen, margin]);
  return [ref, seen];
}

/** Runs an action from a form or button, with its pending and error state. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>): { run: (...args: A) => Promise<void>; pending: boolean; error: string | null; clear: () => void } {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (...args: A) => {
    setPending(true);
    setError(null);
    try {
      await action(...args);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };
  return { run, pending, error, clear: () => setError(null) };
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p class="muted" role="status">{label}</p>;
}

export function ErrorNote({ message, retry }: { message: string | null | undefined; retry?: () => void }) {
  if (!message) return null;
  return (
    <p class="error" role="alert">
      {message}
      {retry && <> <button type="button" class="link" onClick={retry}>Try again</button></>}
    </p>
  );
}

/** Shows loading and error states around loaded data. */
export function Show<T>({ state, children, retry }: { state: Loaded<T>; children: (data: T) => ComponentChildren; retry?: () => void }) {
  if (state.status === 'error' && state.data === undefined) return <ErrorNote message={state.error} retry={retry} />;
  if (state.data === undefined) return <Loading />;
  return (
    <>
      {state.status === 'error' && <ErrorNote message={state.error} retry={retry} />}
      {children(state.data)}
    </>
  );
}

/** A button that asks, in a modal dialog, before doing something that cannot be undone. */
export function ConfirmButton({ label, question, confirm, onConfirm, class: cls = 'danger' }: { label: string; question: string; confirm: string; onConfirm: () => Promise<void> | void; class?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" class={cls} onClick={() => dialog.current?.showModal()}>{label}</button>
      <dialog ref={dialog} aria-label={question}>
        <form method="dialog">
          <p>{question}</p>
          <div class="row end">
            <button value="cancel" autofocus>Cancel</button>
            <button class="danger" value="confirm" onClick={(e) => { e.preventDefault(); dialog.current?.close(); void onConfirm(); }}>{confirm}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** Copies `text`, saying so; selects it where the clipboard is not available. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 2000);
    } catch {
      setDone(false);
    }
  };
  return <button type="button" onClick={copy} aria-live="polite">{done ? 'Copied' : label}</button>;
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {hint && <small class="muted">{hint}</small>}
    </label>
  );
}

export const formValues = (form: HTMLFormElement) => Object.fromEntries(new FormData(form)) as Record<string, string>;

export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
