import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Store, useStore } from '../store';

/** The result of loading something: data, or an error in plain words. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError =
          error instanceof ApiError ? error : new ApiError(0, String((error as Error)?.message ?? error));
        setState((previous) => ({ data: previous.data, error: apiError, loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** An error as a sentence; a missing endpoint gets its own message. */
export function ErrorMessage({ error, missing }: { error: ApiError | undefined; missing?: string }) {
  if (!error) return null;
  if (error.status === 401) return null; // the key prompt says it
  return (
    <p class={error.missing && missing ? 'notice' : 'error'} role={error.missing && missing ? 'status' : 'alert'}>
      {error.missing && missing ? missing : error.message}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}

/** Toasts, read out by screen readers. */
export interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
  undo?: () => void;
}
export const toasts = new Store<Toast[]>([]);
let toastId = 0;

export function toast(text: string, kind: Toast['kind'] = 'ok', undo?: () => void): void {
  const id = ++toastId;
  toasts.set([...toasts.get(), { id, text, kind, undo }]);
  setTimeout(() => toasts.set(toasts.get().filter((t) => t.id !== id)), undo ? 10_000 : 6_000);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`}>
          {t.text}
          {t.undo && (
            <button
              type="button"
              class="link"
              onClick={() => {
                toasts.set(toasts.get().filter((other) => other.id !== t.id));
                t.undo?.();
              }}
            >
              Undo
            </button>
          )}
        </div>
      ))}
    </div>
  );
}

/**
 * A confirmation in a native modal <dialog> (focus kept inside, Escape cancels). `onConfirm`
 * may fail: its error is shown in the dialog and nothing closes.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      ref.current?.close();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onClose={props.onClose}>
      <h2 id="dialog-title">{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" onClick={() => ref.current?.close()} disabled={busy}>
          Cancel
        </button>
        <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** Re-renders every `ms` (for "3 minutes ago" texts). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Pretty JSON in a collapsible block. */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  return (
    <details>
      <summary>{label}</summary>
      <pre class="code">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
