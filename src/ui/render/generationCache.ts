// A map that keeps what the last generations used and forgets the rest: when the current
// generation is full it becomes the previous one, and a hit in the previous one is carried
// over. Bounded memory, and whatever the last frames used stays cached.
export class GenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.current.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    this.current.set(key, value);
    if (this.current.size > this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}
