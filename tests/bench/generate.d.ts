/** Returns the paths of the benchmark archives under `dir`, writing them first when missing. */
export function generate(dir: string): Promise<{ oci: string; legacy: string }>;
