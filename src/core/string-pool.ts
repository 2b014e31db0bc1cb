/**
 * One copy of each repeated string. JSON.parse makes a new string for every value it reads, so the
 * ~50,000 candidate events a sweep of the bench's 3 days holds carried ~50,000 copies of a few user
 * agents, ARNs and IP addresses: ~23 MB of its heap. Bounded: when full it starts over, so a corpus of
 * unique values cannot grow it.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly capacity = 20_000) {}

  /** `value`, or the equal string the pool already holds. */
  intern(value: string | null): string | null {
    if (value === null) return null;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size >= this.capacity) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }

  has(value: string): boolean {
    return this.strings.has(value);
  }

  get size(): number {
    return this.strings.size;
  }
}
