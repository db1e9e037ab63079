// Flag parsing over node:util parseArgs, turning its errors into one-line UsageErrors that say
// what to do, plus typed readers for numbers and booleans.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usageError.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags(argv: string[], options: FlagSpec, command: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flag}; run '${command} --help' to see the flags`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/argument missing/.test(message)) throw new UsageError(`flag ${flag} needs a value, like ${flag}=VALUE`);
      throw new UsageError(`flag ${flag} takes no value; run '${command} --help'`);
    }
    throw new UsageError(`${message}; run '${command} --help'`);
  }
}

export function intFlag(value: string | boolean | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  const number = Number(text);
  if (number < min || number > max) throw new UsageError(`--${name} must be from ${min} to ${max}, not ${number}`);
  return number;
}

/** Go's strconv.ParseBool, as the nomad CLI reads boolean variables. */
export function parseBoolSetting(raw: string, name: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new UsageError(`${name} must be true or false, not "${raw}"`);
}
