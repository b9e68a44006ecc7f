import { useCallback, useEffect, useRef, useState } from 'react';
import { ServiceError } from '../lib/api';

/** Loading, success or error: what every card shows while it talks to the service. */
export type RemoteState<T> = { status: 'loading' } | { status: 'success'; data: T } | { status: 'error'; error: ServiceError };

function asServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  return new ServiceError(0, 'unexpected', 'Something went wrong in the card. Reload the page and try again.');
}

/**
 * Runs `load` on mount and whenever `key` changes; `reload()` runs it again and `set()` replaces
 * the data after a successful change. Late answers of superseded loads are dropped.
 */
export function useRemote<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<RemoteState<T>>({ status: 'loading' });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState({ status: 'loading' });
    loadRef.current().then(
      (data) => mine === generation.current && setState({ status: 'success', data }),
      (err: unknown) => mine === generation.current && setState({ status: 'error', error: asServiceError(err) }),
    );
  }, []);

  useEffect(reload, [key, reload]);

  const set = useCallback((data: T) => {
    generation.current++;
    setState({ status: 'success', data });
  }, []);

  return { state, reload, set };
}

/** Runs one state-changing call at a time and keeps its error for an Alert. */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ServiceError | null>(null);
  const run = useCallback(async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(name);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(asServiceError(err));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, run, clearError: () => setError(null) };
}
