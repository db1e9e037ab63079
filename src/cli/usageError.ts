// A mistake in how alloctop was called: printed as one line, exit code 2, no stack trace.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_USAGE = 2;
