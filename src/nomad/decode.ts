// The client's boundary check on what an agent sends: every decoded value the console reads is
// made to match its declared type before it leaves src/nomad. A field of the wrong type becomes
// null (as an old agent's missing field would read), an item of a list that is not an object is
// dropped, and each such repair is counted so the console can say, once, that the agent sent
// malformed data. Fields the console does not read are passed through untouched.
// A JSON key such as "__proto__" is an own property after JSON.parse and is left alone.

export type Spec =
  | 'string'
  | 'number'
  | 'boolean'
  | { readonly object: Readonly<Record<string, Spec>>; readonly required?: readonly string[] }
  | { readonly array: Spec }
  | { readonly map: Spec };

/** How many values were repaired since the client started (read by the status bar). */
export interface RepairCounter {
  repaired: number;
}

const str = 'string';
const num = 'number';
const bool = 'boolean';

const TASK_EVENT: Spec = {
  object: {
    Type: str, Time: num, Message: str, DisplayMessage: str, Details: { map: str }, FailsTask: bool, RestartReason: str, SetupError: str,
    DriverError: str, ExitCode: num, Signal: num, KillTimeout: num, KillError: str, KillReason: str, StartDelay: num, DownloadError: str,
    ValidationError: str, DiskLimit: num, FailedSibling: str, VaultError: str, TaskSignalReason: str, TaskSignal: str, DriverMessage: str, GenericSource: str,
  },
};

const TASK_STATE: Spec = {
  object: { State: str, Failed: bool, Restarts: num, LastRestart: str, StartedAt: str, FinishedAt: str, Events: { array: TASK_EVENT }, Paused: str },
};

const COMMON: Record<string, Spec> = {
  ID: str, EvalID: str, Name: str, Namespace: str, NodeID: str, NodeName: str, JobID: str, TaskGroup: str,
  DesiredStatus: str, DesiredDescription: str, ClientStatus: str, ClientDescription: str,
  DesiredTransition: { object: { Migrate: bool, Reschedule: bool, ForceReschedule: bool, NoShutdownDelay: bool, MigrateDisablePlacement: bool } },
  TaskStates: { map: TASK_STATE },
  DeploymentStatus: { object: { Healthy: bool, Timestamp: str, Canary: bool, ModifyIndex: num } },
  FollowupEvalID: str, NextAllocation: str,
  RescheduleTracker: { object: { Events: { array: { object: { RescheduleTime: num, PrevAllocID: str, PrevNodeID: str } } } } },
  PreemptedAllocations: { array: str }, PreemptedByAllocation: str,
  CreateIndex: num, ModifyIndex: num, CreateTime: num, ModifyTime: num,
};

/** A row without an ID cannot be shown, selected or acted on: it is dropped. */
export const ALLOC_STUB: Spec = { object: { ...COMMON, JobType: str, JobVersion: num }, required: ['ID'] };

export const ALLOCATION: Spec = {
  object: {
    ...COMMON, PreviousAllocation: str, DeploymentID: str, AllocModifyIndex: num,
    Job: { object: { ID: str, Name: str, Namespace: str, Region: str, Type: str, Version: num, Datacenters: { array: str } } },
  },
};

export const SERVICE: Spec = {
  object: { ID: str, ServiceName: str, Namespace: str, NodeID: str, Datacenter: str, JobID: str, AllocID: str, Tags: { array: str }, Address: str, Port: num, CreateIndex: num, ModifyIndex: num },
};

export const NAMESPACE: Spec = { object: { Name: str, Description: str, CreateIndex: num, ModifyIndex: num }, required: ['Name'] };

export const EVENT_FRAME: Spec = {
  object: {
    Index: num,
    Events: { array: { object: { Topic: str, Type: str, Key: str, Namespace: str, Index: num, Payload: { object: { Allocation: ALLOCATION } } } } },
  },
};

export const STRING: Spec = str;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A spec made into a function once (a 200,000-row list is 5 million checks: walking the spec
 * for each cost more than the checks). It returns the value, repaired, or null (counted). */
type Decoder = (value: unknown, counter: RepairCounter) => unknown;

const compiled = new WeakMap<object, Decoder>();

function primitive(check: (value: unknown) => boolean): Decoder {
  return (value, counter) => {
    if (value === null || value === undefined || check(value)) return value;
    counter.repaired += 1;
    return null;
  };
}

const PRIMITIVES: Record<'string' | 'number' | 'boolean', Decoder> = {
  string: primitive((value) => typeof value === 'string'),
  number: primitive((value) => typeof value === 'number' && Number.isFinite(value)),
  boolean: primitive((value) => typeof value === 'boolean'),
};

function decoderOf(spec: Spec): Decoder {
  if (typeof spec === 'string') return PRIMITIVES[spec];
  let decoder = compiled.get(spec);
  if (!decoder) {
    decoder = compile(spec);
    compiled.set(spec, decoder);
  }
  return decoder;
}

function compile(spec: Exclude<Spec, string>): Decoder {
  if ('array' in spec) {
    const item = decoderOf(spec.array);
    return (value, counter) => {
      if (value === null || value === undefined) return value;
      if (!Array.isArray(value)) {
        counter.repaired += 1;
        return null;
      }
      return decodeItems(value, item, counter);
    };
  }
  // Repaired in place: the value is fresh from JSON.parse and nobody else holds it (a copy of
  // every row of a 50,000-row list would cost more than the checks).
  // A map keeps its keys: Go encodes a nil pointer value as null (a task with no state yet),
  // and a value of the wrong type reads the same way.
  if ('map' in spec) {
    const item = decoderOf(spec.map);
    return (value, counter) => {
      if (value === null || value === undefined) return value;
      if (!isPlainObject(value)) {
        counter.repaired += 1;
        return null;
      }
      for (const [key, entry] of Object.entries(value)) value[key] = item(entry, counter) ?? null;
      return value;
    };
  }
  const fields = Object.entries(spec.object).map(([field, fieldSpec]) => ({ field, decode: decoderOf(fieldSpec) }));
  const required = spec.required ?? [];
  return (value, counter) => {
    if (value === null || value === undefined) return value;
    if (!isPlainObject(value)) {
      counter.repaired += 1;
      return null;
    }
    for (const { field, decode } of fields) {
      if (!Object.hasOwn(value, field)) continue;
      const before = value[field];
      const decoded = decode(before, counter);
      if (decoded !== before) value[field] = decoded;
    }
    for (const field of required) {
      if (value[field] === null || value[field] === undefined) {
        counter.repaired += 1;
        return null;
      }
    }
    return value;
  };
}

/** A list's items: the malformed ones (not an object where one is due, null) are dropped. */
function decodeItems(items: unknown[], decode: Decoder, counter: RepairCounter): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const decoded = decode(item, counter);
    if (decoded === null || decoded === undefined) {
      if (item === null || item === undefined) counter.repaired += 1;
      continue;
    }
    out.push(decoded);
  }
  return out;
}

/** One value of the spec's shape, or null when it cannot be one (counted). */
export function decodeOne<T>(value: unknown, spec: Spec, counter: RepairCounter): T | null {
  return decoderOf(spec)(value, counter) as T | null;
}

/** A list of the spec's items; anything but a list reads as an empty one (counted unless null). */
export function decodeList<T>(value: unknown, spec: Spec, counter: RepairCounter): T[] {
  if (!Array.isArray(value)) {
    if (value !== null && value !== undefined) counter.repaired += 1;
    return [];
  }
  return decodeItems(value, decoderOf(spec), counter) as T[];
}
