// Renders a component inside the app's providers with ink-testing-library, wired to a real
// NomadClient and Store (pointed at a simulator or a tiny fake agent).
import React from 'react';
import { after } from 'node:test';
import { render } from 'ink-testing-library';
import { NomadClient } from '../../src/nomad/client.js';
import type { ClientConfig } from '../../src/nomad/config.js';
import { Store } from '../../src/store/store.js';
import { AppContext, type AppServices } from '../../src/ui/context.js';
import { themeFor } from '../../src/ui/theme.js';

export interface Rendered extends ReturnType<typeof render> {
  services: AppServices;
}

export function renderWithServices(element: React.ReactElement, config: Partial<ClientConfig> & { address: string }, info: Partial<AppServices['info']> = {}): Rendered {
  const client = new NomadClient(config);
  const store = new Store({ waitMs: 5000, minIntervalMs: 20 });
  const services: AppServices = {
    client,
    store,
    theme: themeFor({ NO_COLOR: '1' }),
    info: { address: client.address, region: 'global', readOnly: false, warnings: [], ...info },
  };
  const rendered = render(<AppContext.Provider value={services}>{element}</AppContext.Provider>);
  // ink-testing-library's stdout is 100 columns and says nothing of rows (the console would take
  // 24, a compact layout): give it 40, as a resize, so the panes are those of a 100x40 terminal.
  Object.assign(rendered.stdout, { rows: 40 });
  rendered.stdout.emit('resize');
  after(async () => {
    rendered.unmount();
    store.close();
    await client.close();
  });
  return { ...rendered, services };
}

/** Waits until the last frame satisfies `check` (frames arrive asynchronously). */
export async function frameMatching(rendered: { lastFrame: () => string | undefined }, check: RegExp | ((frame: string) => boolean), timeoutMs = 4000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = rendered.lastFrame() ?? '';
    if (typeof check === 'function' ? check(frame) : check.test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame matched ${String(check)}; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
