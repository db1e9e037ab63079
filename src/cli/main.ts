// alloctop's entry: picks the subcommand from argv and turns usage errors into one line and
// exit code 2. bin/alloctop.js calls main().
import { readFileSync } from 'node:fs';
import { simCommand } from './simCommand.js';
import { EXIT_USAGE, UsageError } from './usageError.js';
import { HELP } from './help.js';

/** Set by the bundler; tsc builds read package.json instead. */
declare const ALLOCTOP_VERSION: string | undefined;

export function version(): string {
  if (typeof ALLOCTOP_VERSION === 'string') return ALLOCTOP_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-v' || first === 'version') {
      // The single file (scripts/sea-main.cjs) says so, with the Node it carries.
      const single = (globalThis as { alloctopSingleFile?: boolean }).alloctopSingleFile === true;
      process.stdout.write(`alloctop ${version()}${single ? ` (single file, Node ${process.version})` : ''}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (first === 'sim') return await simCommand(rest);
    const { consoleCommand } = await import('./consoleCommand.js');
    return await consoleCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`alloctop: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** What the launchers (bin/alloctop.js, the single file's scripts/sea-main.cjs) do: run main,
 * set the exit code, and turn a failure main let through into one line. */
export function run(argv: string[]): Promise<void> {
  return main(argv).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`alloctop: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
