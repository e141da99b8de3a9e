/** The scale of the archives (STEVEDORE_BENCH_SCALE, default 1). */
export function benchScale(): number;
/** Returns the paths of the benchmark archives under `dir`, writing them first when missing;
 * `manyFiles` is a docker save of one gzip layer of 1,000,000 × scale small files. */
export function generate(
  dir: string,
  scale?: number,
): Promise<{ oci: string; legacy: string; filesLayer: string; manyFiles: string }>;
