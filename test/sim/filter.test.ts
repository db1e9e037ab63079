// The go-bexpr subset: each operator, precedence, selectors into maps and slices, and the
// errors Nomad's paginator returns for bad syntax and unknown fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, FilterEvalError } from '../../src/sim/filter/evaluate.js';
import { FilterSyntaxError, parseFilter } from '../../src/sim/filter/parse.js';

const alloc = {
  ID: '5457f16d-0f87-8e6b-5e91-0c7da3a41eb7',
  JobID: 'web-frontend',
  TaskGroup: 'cache',
  ClientStatus: 'running',
  DesiredStatus: 'run',
  CreateIndex: 10,
  PreemptedAllocations: ['a', 'b'],
  DesiredTransition: { Migrate: true, Reschedule: null },
  NextAllocation: '',
  RescheduleTracker: null,
  TaskStates: {
    redis: { State: 'dead', Failed: true, Restarts: 3, Events: [{ Type: 'Started', Details: { 'exit code': '1' } }] },
  },
  Job: { Meta: { owner: 'team-web' }, Priority: 50 },
};

const cases: [string, boolean][] = [
  ['ClientStatus == "running"', true],
  ['ClientStatus == running', true],
  ['ClientStatus != "running"', false],
  ['ClientStatus == `running`', true],
  ['TaskGroup == "cache" and JobID matches "^web"', true],
  ['TaskGroup == "cache" and JobID matches "^api"', false],
  ['TaskGroup == "db" or JobID contains "front"', true],
  ['not (ClientStatus == "running")', false],
  ['not ClientStatus == "failed"', true],
  ['ClientStatus == "failed" or TaskGroup == "cache" and JobID == "nope"', false],
  ['(ClientStatus == "failed" or TaskGroup == "cache") and JobID == "web-frontend"', true],
  ['TaskStates.redis.State == "dead"', true],
  ['TaskStates["redis"].Failed == true', true],
  ['TaskStates.redis.Restarts == 3', true],
  ['TaskStates.redis.Events.0.Type == "Started"', true],
  ['"redis" in TaskStates', true],
  ['"nginx" not in TaskStates', true],
  ['"a" in PreemptedAllocations', true],
  ['PreemptedAllocations contains "c"', false],
  ['PreemptedAllocations not contains "c"', true],
  ['JobID not matches "^web"', false],
  ['NextAllocation is empty', true],
  ['PreemptedAllocations is not empty', true],
  ['RescheduleTracker is nil', true],
  ['DesiredTransition is not nil', true],
  ['DesiredTransition.Migrate == true', true],
  ['CreateIndex == 10', true],
  ['Job.Meta.owner == "team-web"', true],
];

describe('filter expressions', () => {
  for (const [expression, expected] of cases) {
    it(`${expression} → ${expected}`, () => {
      assert.equal(evaluate(parseFilter(expression), alloc), expected);
    });
  }

  it('rejects bad syntax with a pigeon-style position', () => {
    for (const bad of ['ClientStatus ==', 'ClientStatus = "x"', '(ClientStatus == "x"', 'ClientStatus == "x" and', '"unterminated == x', 'ClientStatus is full']) {
      assert.throws(() => parseFilter(bad), (error: unknown) => error instanceof FilterSyntaxError && /^\d+:\d+ \(\d+\): no match found, expected: /.test(error.message), bad);
    }
  });

  it('reports unknown struct fields and missing map keys as go-bexpr does', () => {
    assert.throws(() => evaluate(parseFilter('Foo == "x"'), alloc), new FilterEvalError('error finding value in datum: /Foo at part 0: couldn\'t find struct field with name "Foo"'));
    assert.throws(() => evaluate(parseFilter('TaskStates.nginx.State == "dead"'), alloc), new FilterEvalError('error finding value in datum: /TaskStates/nginx/State at part 1: couldn\'t find key "nginx"'));
    assert.throws(() => evaluate(parseFilter('TaskStates.redis.Nope == 1'), alloc), /couldn't find struct field with name "Nope"/);
    assert.throws(() => evaluate(parseFilter('CreateIndex == ten'), alloc), /strconv.ParseInt: parsing "ten": invalid syntax/);
  });

  it('short-circuits like go-bexpr: a right side that would fail is not evaluated', () => {
    assert.equal(evaluate(parseFilter('ClientStatus == "failed" and Foo == "x"'), alloc), false);
    assert.equal(evaluate(parseFilter('ClientStatus == "running" or Foo == "x"'), alloc), true);
  });
});
