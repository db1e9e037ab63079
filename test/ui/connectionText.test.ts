// What the status bar says for each connection state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionSummary } from '../../src/store/types.js';
import { connectionHint } from '../../src/nomad/errors.js';
import { connectionText } from '../../src/ui/connectionText.js';

const base: ConnectionSummary = { status: 'live', index: 10, knownLeader: true, lastContact: 0, error: undefined, staleSince: 0, retryAt: 0, notBlocking: false, keys: 2 };
const now = new Date(2026, 10, 23, 12, 0, 0).getTime();

describe('connectionText', () => {
  const cases: [Partial<ConnectionSummary>, RegExp, string][] = [
    [{}, /^● live$/, 'ok'],
    [{ notBlocking: true }, /^● live · the agent answers without waiting \(not a blocking query\): one request per 2 s$/, 'warning'],
    [{ status: 'loading' }, /connecting/, 'muted'],
    [{ status: 'reconnecting', retryAt: now + 4200, staleSince: now - 60_000, error: new Error('cannot reach Nomad at http://x:4646: connection refused; is the agent running there? Check NOMAD_ADDR or --address') }, /^◌ reconnecting in 5s · stale since 11:59:00 · connection refused; is the agent running there\? Check NOMAD_ADDR or --address$/, 'warning'],
    [{ status: 'reconnecting', retryAt: now + 900, error: new Error('500 No cluster leader (GET /v1/allocations)') }, /^◌ reconnecting in 1s · 500 No cluster leader$/, 'warning'],
    [{ status: 'reconnecting', retryAt: now - 3000, error: new Error('500 No cluster leader (GET /v1/allocations)') }, /^◌ reconnecting… · 500 No cluster leader$/, 'warning'],
    [{ status: 'stale', knownLeader: false, lastContact: 12_000 }, /no known leader · last contact 12s ago/, 'warning'],
    [{ status: 'denied', error: new Error('403 Permission denied (GET /v1/allocations)') }, /^✖ permission denied — check NOMAD_TOKEN$/, 'danger'],
    [{ status: 'error', error: new Error('400 bad (GET /v1/allocations)') }, /^✖ 400 bad$/, 'danger'],
  ];
  for (const [patch, text, tone] of cases) {
    it(`${patch.status ?? 'live'} → ${text}`, () => {
      const result = connectionText({ ...base, ...patch }, now);
      assert.match(result.text, text);
      assert.equal(result.tone, tone);
    });
  }
});

describe('connection hints', () => {
  it('never show a library code; a reset after the agent answered has no set-up hint', () => {
    assert.equal(connectionHint('UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'http://x:4646'), "the agent's answer was cut short (shorter than it said); retrying");
    assert.doesNotMatch(connectionHint('UND_ERR_SOMETHING_NEW', 'http://x:4646'), /UND_ERR|SOMETHING/);
    assert.match(connectionHint('ECONNRESET', 'http://x:4646'), /if it serves HTTPS, use an https:\/\/ address/);
    assert.equal(connectionHint('ECONNRESET', 'http://x:4646', 0, true), 'connection closed by the agent; reconnecting');
  });
});
