// Ink's own modules as the bundle ships them: bundled with esbuild through the plugins
// scripts/bundle.mjs uses (scripts/ink-swaps.mjs), so tests drive the code users run, not the
// unpatched copy in node_modules.
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { inkLogUpdateFix } from '../../scripts/ink-swaps.mjs';
import type { LogUpdate } from '../../node_modules/ink/build/log-update.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${ROOT}node_modules/.cache/alloctop-test`;

/** Bundles `source` (an ES module that imports from Ink) with the swaps, and imports it. */
async function bundled<T>(name: string, source: string, plugins: unknown[]): Promise<T> {
  mkdirSync(OUT, { recursive: true });
  const outfile = `${OUT}/${name}-${process.pid}.mjs`;
  await build({ stdin: { contents: source, resolveDir: ROOT, loader: 'js' }, outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', plugins: plugins as never,
    // CommonJS dependencies (signal-exit) call require(), as in the shipped bundle.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}

export interface InkLogUpdate {
  create(stream: { write(chunk: string): boolean }, options?: { showCursor?: boolean; incremental?: boolean }): LogUpdate;
}

/** ink/build/log-update.js as bundled (with the incremental cursor fix). */
export async function bundledLogUpdate(): Promise<InkLogUpdate> {
  const module = await bundled<{ default: InkLogUpdate }>('log-update', "export { default } from './node_modules/ink/build/log-update.js';", [inkLogUpdateFix]);
  return module.default;
}
