// The selection's settle, on a fake clock: a value that keeps changing faster than the settle
// time is never passed on; the one it rests at is, once the settle time has passed.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useSettled } from '../../../src/ui/hooks/useSettled.js';

/** Lets React commit and run its effects (its scheduler uses setImmediate, left real). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('useSettled', () => {
  it('20 changes 30 ms apart pass on only the last, 120 ms after it', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const seen: number[] = [];
      function Probe({ value }: { value: number }) {
        const settled = useSettled(value, 120);
        if (seen.at(-1) !== settled) seen.push(settled);
        return <Text>{settled}</Text>;
      }
      const view = render(<Probe value={0} />);
      await flush();
      for (let i = 1; i <= 20; i++) {
        view.rerender(<Probe value={i} />);
        await flush();
        mock.timers.tick(30);
        await flush();
      }
      assert.deepEqual(seen, [0], 'nothing passed on while it kept moving');
      mock.timers.tick(89);
      await flush();
      assert.deepEqual(seen, [0]);
      mock.timers.tick(1);
      await flush();
      assert.deepEqual(seen, [0, 20]);
      view.unmount();
    } finally {
      mock.timers.reset();
    }
  });
});
