// How the page's worker pool deals blobs (largest first, each to the worker that frees first),
// and what that allows: used by the benchmark to run native tools like for like and to print the
// ideal of an archive. Pure.

/** Returns the items dealt to `workers` lanes as the pool deals blobs: largest first, each to
 * the lane with the fewest bytes so far (sizes standing for time: one speed per worker). */
export function deal<T extends { size: number }>(items: readonly T[], workers: number): T[][] {
  const lanes = Array.from({ length: Math.max(1, workers) }, () => ({
    bytes: 0,
    items: [] as T[],
  }));
  for (const item of [...items].sort((a, b) => b.size - a.size)) {
    const lane = lanes.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lane.bytes += item.size;
    lane.items.push(item);
  }
  return lanes.map((l) => l.items);
}

/** Returns how many times one worker's speed `workers` workers can reach on blobs of these
 * sizes, dealt largest first: all the bytes over the busiest worker's. A blob's SHA-256 is one
 * sequential computation: it cannot be split between workers, so one huge blob caps a run at
 * one worker's speed. */
export function parallelism(sizes: readonly number[], workers: number): number {
  const total = sizes.reduce((n, s) => n + s, 0);
  if (total === 0) return 1;
  const lanes = deal(
    sizes.map((size) => ({ size })),
    workers,
  );
  return total / Math.max(...lanes.map((l) => l.reduce((n, s) => n + s.size, 0)));
}
