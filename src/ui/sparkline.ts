// A sparkline in block characters (▁▂▃▄▅▆▇█): readable without colour (NO_COLOR) and in any
// font a terminal has. The newest value is on the right; missing values (no sample, or a
// figure the driver does not measure) are spaces. Pure.
const BLOCKS = '▁▂▃▄▅▆▇█';

/** `values` oldest first, scaled so `max` is a full block (values above it are full too). */
export function sparkline(values: readonly (number | undefined)[], width: number, max: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const top = max > 0 ? max : Math.max(0, ...shown.filter((v): v is number => v !== undefined));
  let out = ' '.repeat(width - shown.length);
  for (const value of shown) {
    if (value === undefined || !Number.isFinite(value)) out += ' ';
    else if (top <= 0) out += BLOCKS[0];
    else out += BLOCKS[Math.max(0, Math.min(BLOCKS.length - 1, Math.ceil((value / top) * BLOCKS.length) - 1))];
  }
  return out;
}
