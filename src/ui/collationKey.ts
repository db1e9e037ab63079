// Sort keys that order printable-ASCII strings exactly as the list's collator does
// (Intl.Collator 'en', numeric, base sensitivity) under plain string comparison, which is
// ~20 times cheaper than collator.compare: a 200,000-row sort makes ~3.5 million comparisons.
// Each character becomes its collation rank (case folded: A and a share one); a run of digits
// becomes the digit rank, the number's length without leading zeros, then its digits, so runs
// compare as numbers (web[9] before web[10], 01 equal to 1). Anything else (non-ASCII, control
// characters) has no key, and is compared by the collator itself.
export const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
/** Each printable character's rank in the collator's order (equal characters share one). */
const RANK = new Map<string, string>();
{
  const ordered = PRINTABLE.filter((c) => !/[0-9]/.test(c)).sort((a, b) => collator.compare(a, b) || (a < b ? -1 : 1));
  let rank = 0;
  let previous: string | undefined;
  const digitsAt = ordered.findIndex((c) => collator.compare(c, '0') > 0);
  ordered.splice(digitsAt, 0, '0');
  for (const c of ordered) {
    if (previous !== undefined && collator.compare(previous, c) !== 0) rank += 1;
    RANK.set(c, String.fromCharCode(0x30 + rank));
    previous = c;
  }
}
const DIGIT = RANK.get('0') as string;
const ASCII = /^[\x20-\x7e]*$/;

/** The key, or undefined when the string needs the collator. */
export function collationKey(text: string): string | undefined {
  if (!ASCII.test(text)) return undefined;
  let key = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (c >= '0' && c <= '9') {
      let end = i;
      while (end < text.length && (text[end] as string) >= '0' && (text[end] as string) <= '9') end++;
      let start = i;
      while (start < end - 1 && text[start] === '0') start++;
      key += DIGIT + String.fromCharCode(0x30 + (end - start)) + text.slice(start, end);
      i = end;
    } else {
      key += RANK.get(c) as string;
      i++;
    }
  }
  return key;
}

/** Compares two strings as the collator does, by their keys when both have one. */
export function compareText(a: string, aKey: string | undefined, b: string, bKey: string | undefined): number {
  if (aKey !== undefined && bKey !== undefined) return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
  return collator.compare(a, b);
}
