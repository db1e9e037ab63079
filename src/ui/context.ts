// What every component may reach: the shared store, the client (for actions only; panes read
// through the store), the settings shown in the status bar, and the theme.
import { createContext, useContext } from 'react';
import type { NomadClient } from '../nomad/client.js';
import type { Store } from '../store/store.js';
import type { Theme } from './theme.js';

export interface ConsoleInfo {
  address: string;
  region: string;
  readOnly: boolean;
  warnings: readonly string[];
}

export interface AppServices {
  store: Store;
  client: NomadClient;
  info: ConsoleInfo;
  theme: Theme;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices outside <AppContext.Provider>');
  return services;
}
