// The store's connection summary (worst status, index, leader) for the status bar.
import { useCallback, useSyncExternalStore } from 'react';
import type { ConnectionSummary } from '../../store/types.js';
import { useServices } from '../context.js';

export function useConnection(): ConnectionSummary {
  const { store } = useServices();
  const subscribe = useCallback((listener: () => void) => store.onSummary(listener), [store]);
  const getSnapshot = useCallback(() => store.summary(), [store]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
