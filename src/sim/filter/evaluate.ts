// Evaluates a parsed filter against an Allocation as go-bexpr does against the Go struct:
// selectors walk struct fields (an unknown field is an error), map keys (a missing key is an
// error: Nomad passes no WithUnknownValue option) and values coerce to the field's Go kind.
import { parseGoBool } from '../http/query.js';
import type { Expr, MatchOp } from './parse.js';

type GoType = 'string' | 'bool' | 'int' | 'any' | { struct: Record<string, GoType> } | { map: GoType } | { slice: GoType };

const str = 'string' as const;
const int = 'int' as const;
const bool = 'bool' as const;

const taskEvent: GoType = {
  struct: {
    Type: str, Time: int, Message: str, DisplayMessage: str, Details: { map: str }, FailsTask: bool, RestartReason: str,
    SetupError: str, DriverError: str, ExitCode: int, Signal: int, KillTimeout: int, KillError: str, KillReason: str,
    StartDelay: int, DownloadError: str, ValidationError: str, DiskLimit: int, FailedSibling: str, VaultError: str,
    TaskSignalReason: str, TaskSignal: str, DriverMessage: str, GenericSource: str,
  },
};

const taskState: GoType = {
  struct: {
    State: str, Failed: bool, Restarts: int, LastRestart: str, StartedAt: str, FinishedAt: str,
    Events: { slice: taskEvent }, Paused: str, TaskHandle: 'any',
  },
};

export const ALLOCATION_TYPE: GoType = {
  struct: {
    ID: str, Namespace: str, EvalID: str, Name: str, NodeID: str, NodeName: str, JobID: str, Job: 'any', TaskGroup: str,
    Resources: 'any', SharedResources: 'any', TaskResources: 'any', AllocatedResources: 'any', Metrics: 'any',
    DesiredStatus: str, DesiredDescription: str,
    DesiredTransition: { struct: { Migrate: bool, Reschedule: bool, ForceReschedule: bool, NoShutdownDelay: bool, MigrateDisablePlacement: bool } },
    ClientStatus: str, ClientDescription: str, TaskStates: { map: taskState }, AllocStates: { slice: 'any' },
    PreviousAllocation: str, NextAllocation: str, DeploymentID: str,
    DeploymentStatus: { struct: { Healthy: bool, Timestamp: str, Canary: bool, ModifyIndex: int } },
    RescheduleTracker: { struct: { Events: { slice: { struct: { RescheduleTime: int, PrevAllocID: str, PrevNodeID: str, Delay: int } } } } },
    NetworkStatus: 'any', FollowupEvalID: str, PreemptedAllocations: { slice: str }, PreemptedByAllocation: str,
    SigningKeyID: str, CreateIndex: int, ModifyIndex: int, AllocModifyIndex: int, CreateTime: int, ModifyTime: int,
  },
};

export class FilterEvalError extends Error {}

interface Resolved {
  value: unknown;
  type: GoType;
}

function resolve(datum: unknown, root: GoType, selector: string[]): Resolved {
  let value = datum;
  let type = root;
  const pointer = '/' + selector.join('/');
  selector.forEach((part, i) => {
    if (typeof type === 'object' && 'struct' in type) {
      const fieldType = type.struct[part];
      if (!fieldType) throw new FilterEvalError(`error finding value in datum: ${pointer} at part ${i}: couldn't find struct field with name "${part}"`);
      type = fieldType;
      value = value == null ? undefined : (value as Record<string, unknown>)[part];
    } else if (typeof type === 'object' && 'map' in type) {
      const map = value as Record<string, unknown> | null | undefined;
      if (!map || !Object.hasOwn(map, part)) throw new FilterEvalError(`error finding value in datum: ${pointer} at part ${i}: couldn't find key "${part}"`);
      type = type.map;
      value = map[part];
    } else if (typeof type === 'object' && 'slice' in type) {
      const list = (value as unknown[] | null | undefined) ?? [];
      const at = Number(part);
      if (!Number.isInteger(at) || at < 0 || at >= list.length) throw new FilterEvalError(`error finding value in datum: ${pointer} at part ${i}: index out of range`);
      type = type.slice;
      value = list[at];
    } else {
      // Untyped (interface{}) parts: walk whatever JSON is there.
      value = value == null ? undefined : (value as Record<string, unknown>)[part];
    }
  });
  return { value, type };
}

function kindOf(resolved: Resolved): 'string' | 'bool' | 'int' | 'other' {
  const { type, value } = resolved;
  if (type === 'string' || type === 'bool' || type === 'int') return type;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'int';
  return 'other';
}

function coerce(raw: string, kind: 'string' | 'bool' | 'int' | 'other'): string | boolean | number {
  if (kind === 'bool') {
    const value = parseGoBool(raw);
    if (value !== undefined) return value;
    throw new FilterEvalError(`error getting match value in expression: strconv.ParseBool: parsing "${raw}": invalid syntax`);
  }
  if (kind === 'int') {
    if (!/^[-+]?\d+$/.test(raw)) throw new FilterEvalError(`error getting match value in expression: strconv.ParseInt: parsing "${raw}": invalid syntax`);
    return Number(raw);
  }
  return raw;
}

function equal(resolved: Resolved, raw: string): boolean {
  const kind = kindOf(resolved);
  if (kind === 'other') throw new FilterEvalError('unable to find suitable primitive comparison function for matching');
  const value = resolved.value ?? (kind === 'string' ? '' : kind === 'int' ? 0 : false);
  return coerce(raw, kind) === value;
}

function length(value: unknown): number {
  if (value == null) return 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (typeof value === 'object') return Object.keys(value).length;
  return 0;
}

function contains(resolved: Resolved, raw: string): boolean {
  const { value } = resolved;
  if (typeof value === 'string' || resolved.type === 'string') return String(value ?? '').includes(raw);
  if (Array.isArray(value) || (typeof resolved.type === 'object' && 'slice' in resolved.type)) {
    return ((value as unknown[] | null) ?? []).some((item) => String(item) === raw);
  }
  if ((value && typeof value === 'object') || (typeof resolved.type === 'object' && 'map' in resolved.type)) {
    return Object.hasOwn((value as object | null) ?? {}, raw);
  }
  throw new FilterEvalError(`Cannot perform in/contains operations on type ${kindOf(resolved)}`);
}

const regexCache = new Map<string, RegExp>();

function matches(resolved: Resolved, raw: string): boolean {
  let re = regexCache.get(raw);
  if (!re) {
    try {
      re = new RegExp(raw);
    } catch (error) {
      throw new FilterEvalError(`Failed to compile regular expression "${raw}": ${(error as Error).message}`);
    }
    regexCache.set(raw, re);
  }
  return re.test(String(resolved.value ?? ''));
}

function match(op: MatchOp, resolved: Resolved, raw: string): boolean {
  switch (op) {
    case '==': return equal(resolved, raw);
    case '!=': return !equal(resolved, raw);
    case 'is empty': return length(resolved.value) === 0;
    case 'is not empty': return length(resolved.value) !== 0;
    case 'is nil': return resolved.value == null;
    case 'is not nil': return resolved.value != null;
    case 'in':
    case 'contains': return contains(resolved, raw);
    case 'not in':
    case 'not contains': return !contains(resolved, raw);
    case 'matches': return matches(resolved, raw);
    case 'not matches': return !matches(resolved, raw);
  }
}

/** True when the datum passes; throws FilterEvalError as go-bexpr would fail the request. */
export function evaluate(expr: Expr, datum: unknown, root: GoType = ALLOCATION_TYPE): boolean {
  switch (expr.kind) {
    case 'and': return evaluate(expr.left, datum, root) && evaluate(expr.right, datum, root);
    case 'or': return evaluate(expr.left, datum, root) || evaluate(expr.right, datum, root);
    case 'not': return !evaluate(expr.operand, datum, root);
    case 'match': return match(expr.op, resolve(datum, root, expr.selector), expr.value ?? '');
  }
}
