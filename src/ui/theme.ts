// Semantic colour tokens (what a colour means, not which colour), with a NO_COLOR variant.
// Named ANSI colours only, so they read well on 16-colour terminals and in tmux-256color.

export interface Theme {
  enabled: boolean;
  status: Record<string, string | undefined>;
  accent: string | undefined;
  muted: string | undefined;
  warning: string | undefined;
  danger: string | undefined;
  ok: string | undefined;
  focusBorder: string | undefined;
  border: string | undefined;
}

const COLOURS: Theme = {
  enabled: true,
  status: { running: 'green', pending: 'yellow', complete: 'blue', failed: 'red', lost: 'magenta', unknown: 'gray', dead: 'gray', run: undefined, stop: 'yellow', evict: 'magenta' },
  accent: 'cyan',
  muted: 'gray',
  warning: 'yellow',
  danger: 'red',
  ok: 'green',
  focusBorder: 'cyan',
  border: 'gray',
};

const PLAIN: Theme = {
  enabled: false,
  status: {},
  accent: undefined,
  muted: undefined,
  warning: undefined,
  danger: undefined,
  ok: undefined,
  focusBorder: undefined,
  border: undefined,
};

/** NO_COLOR (any non-empty value, per no-color.org) turns every colour off. */
export function themeFor(env: Record<string, string | undefined> = process.env): Theme {
  return env.NO_COLOR ? PLAIN : COLOURS;
}

export function statusColour(theme: Theme, status: string | null | undefined): string | undefined {
  return theme.status[status ?? ''] ?? theme.status.unknown;
}
