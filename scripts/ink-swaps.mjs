// What the bundle changes in Ink, as esbuild plugins (scripts/bundle.mjs uses them; so does
// test/scripts/inkSwaps.test.ts, which bundles Ink's modules through them and drives the result).
// Each is pinned to the one ink version it was written against and fails the build on any other:
// a silent fallback would cost frames or draw wrong ones.
import { readFileSync } from 'node:fs';

/** The ink these swaps were written against (package.json pins it exactly). */
export const INK_VERSION = '6.8.0';

const root = new URL('../', import.meta.url);
const installed = () => JSON.parse(readFileSync(new URL('node_modules/ink/package.json', root), 'utf8')).version;

function pinned(name) {
  const version = installed();
  if (version !== INK_VERSION) {
    throw new Error(`bundle: ink ${version} is installed but the ${name} swap was written for ink ${INK_VERSION}; port it (and its test) to ${version}, then set INK_VERSION in scripts/ink-swaps.mjs`);
  }
}

/** src/ui/render/output.ts for Ink's internal Output (the per-frame grid): it reuses unchanged
 * rows (~17 ms → 0.3 ms a frame). It mirrors ink 6.8.0's output.js line for line;
 * test/ui/render/output.test.ts proves it gives that module's bytes. */
export const inkOutput = {
  name: 'ink-output',
  setup(b) {
    pinned('output');
    const path = new URL('src/ui/render/output.ts', root).pathname;
    let swapped = false;
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) => {
      if (!/[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)) return undefined;
      swapped = true;
      return { path };
    });
    b.onEnd((result) => {
      if (!swapped && result.errors.length === 0) throw new Error("bundle: ink's renderer no longer imports ./output.js; update src/ui/render/output.ts");
    });
  },
};

// ink 6.8.0's incremental renderer moves the cursor up one row too few before a frame that ends
// in a newline (every frame shorter than the terminal, so all of ours): the first row of each
// frame lands on the second, and the top row is never redrawn. Fixed upstream in ink 7.0.0
// (vadimdemedes/ink#910, src/log-update.ts), which needs Node 22; this is that one-line fix.
const LOG_UPDATE_BUG = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
const LOG_UPDATE_FIX = 'buffer.push(ansiEscapes.cursorUp(previousLines.length - 1));';

/** Ink 7's fix for the incremental renderer's cursor, in ink 6.8.0's build/log-update.js. */
export const inkLogUpdateFix = {
  name: 'ink-log-update-fix',
  setup(b) {
    pinned('log-update');
    let fixed = false;
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]log-update\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(LOG_UPDATE_BUG).length !== 2) throw new Error(`bundle: ink's log-update.js no longer holds "${LOG_UPDATE_BUG}" once; check vadimdemedes/ink#910 against it`);
      fixed = true;
      return { contents: source.replace(LOG_UPDATE_BUG, LOG_UPDATE_FIX), loader: 'js' };
    });
    b.onEnd((result) => {
      if (!fixed && result.errors.length === 0) throw new Error("bundle: ink's log-update.js was not in the bundle; the cursor fix is not applied");
    });
  },
};

/** src/ui/render/textWidth.ts for 'string-width' everywhere in the bundle but in that module
 * itself (Ink, wrap-ansi, cli-truncate and ours measure through it): the same answers, without a
 * grapheme segmenter for the characters a console draws. test/ui/render/textWidth.test.ts proves
 * the answers are string-width's. */
export const quickTextWidth = {
  name: 'quick-text-width',
  setup(b) {
    const path = new URL('src/ui/render/textWidth.ts', root).pathname;
    let redirected = 0;
    b.onResolve({ filter: /^string-width$/ }, (args) => {
      if (args.importer === path) return undefined;
      redirected += 1;
      return { path };
    });
    b.onEnd((result) => {
      if (redirected === 0 && result.errors.length === 0) throw new Error("bundle: nothing imports 'string-width' any more; drop the quick-text-width swap");
    });
  },
};
