/**
 * Runs `work` over items with at most `concurrency` in flight, and hands each result to
 * `onResult` in item order, as soon as every earlier item is done: overlap for I/O, yet output
 * (events, problems) comes out the same on every run.
 */
export async function runInOrder<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onResult: (result: R, item: T) => void,
): Promise<void> {
  const finished = new Map<number, R>();
  let nextToStart = 0;
  let nextToDeliver = 0;

  const deliverReady = (): void => {
    while (finished.has(nextToDeliver)) {
      const result = finished.get(nextToDeliver) as R;
      finished.delete(nextToDeliver);
      onResult(result, items[nextToDeliver] as T);
      nextToDeliver++;
    }
  };

  const worker = async (): Promise<void> => {
    while (nextToStart < items.length) {
      const index = nextToStart++;
      finished.set(index, await work(items[index] as T));
      deliverReady();
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
