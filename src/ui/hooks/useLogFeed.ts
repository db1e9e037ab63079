// The open log view's feed: one LogFeed per allocation, task and stream, closed when the view
// closes or switches; its snapshot as state, so the view redraws as lines arrive. Older output
// is asked for when the view is paused at (or above) the first line held.
import { useEffect, useRef, useState } from 'react';
import { LogFeed, type LogSnapshot, type LogTarget } from '../../store/logFeed.js';
import { useServices } from '../context.js';

/** `top`: the first line the view shows (absolute), undefined while following. */
export function useLogFeed(target: LogTarget | undefined, top: number | undefined): { snapshot: LogSnapshot | undefined; feed: LogFeed | undefined } {
  const { client } = useServices();
  const [snapshot, setSnapshot] = useState<LogSnapshot | undefined>();
  const feed = useRef<LogFeed | undefined>(undefined);
  const key = target ? `${target.allocId}\u0000${target.task}\u0000${target.type}` : '';
  useEffect(() => {
    if (!target) {
      setSnapshot(undefined);
      return undefined;
    }
    const opened = new LogFeed(client, target);
    feed.current = opened;
    setSnapshot(opened.snapshot());
    const unsubscribe = opened.subscribe(() => setSnapshot(opened.snapshot()));
    return () => {
      unsubscribe();
      opened.close();
      if (feed.current === opened) feed.current = undefined;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
  const atFirstLine = top !== undefined && snapshot !== undefined && top <= snapshot.base;
  useEffect(() => {
    if (atFirstLine && snapshot && !snapshot.atStart && !snapshot.loadingOlder) void feed.current?.loadOlder();
  }, [atFirstLine, snapshot]);
  return { snapshot, feed: feed.current };
}
