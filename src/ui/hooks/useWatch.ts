// Binds one store query to React with useSyncExternalStore: the component re-renders when
// that key's snapshot changes, and the key's loop lives while any component watches it.
import { useCallback, useSyncExternalStore } from 'react';
import { initialState, type Query, type WatchState } from '../../store/types.js';
import { useServices } from '../context.js';

const IDLE = initialState<never>();
const noop = (): void => {};

/** Watches `query` (nothing when undefined). Queries with the same key share one loop. */
export function useWatch<T>(query: Query<T> | undefined): WatchState<T> {
  const { store } = useServices();
  const key = query?.key;
  // The query object may be rebuilt each render; its key is what identifies it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const subscribe = useCallback((listener: () => void) => (query ? store.subscribe(query, listener) : noop), [store, key]);
  const getSnapshot = useCallback(() => (key ? store.getState<T>(key) : (IDLE as WatchState<T>)), [store, key]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
