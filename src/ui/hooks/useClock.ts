// A clock that ticks every `intervalMs`, for relative times ("2m ago", "retry in 4s"). A frame
// whose text did not change is not written again, so ticking costs nothing on the wire.
import { useEffect, useState } from 'react';

export function useClock(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
