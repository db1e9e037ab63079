// What every component may reach: the shared store, the client (for actions only; panes read
// through the store), the settings shown in the status bar, and the theme.
import { createContext, useContext } from 'react';
import type { NomadClient } from '../nomad/client.js';
import type { Store } from '../store/store.js';
import type { Theme } from './theme.js';
import type { ExecReport, ExecTarget } from './actions/execOutcome.js';

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
  /** Hands the terminal to an exec session in the task until its command exits (the console's
   * runner, src/cli/execHandover.ts); absent where there is no terminal to hand over. */
  exec?: (target: ExecTarget) => Promise<ExecReport>;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices outside <AppContext.Provider>');
  return services;
}
