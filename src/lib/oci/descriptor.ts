import type { Problem } from '../errors.ts';
import type { Descriptor, Platform } from './model.ts';

export type { Descriptor } from './model.ts';
import { problem } from '../errors.ts';
import { parseDigest } from './digest.ts';
import { asObject, asString, asStringArray, asStringMap } from './json.ts';

/** Returns the platform object of a descriptor or config, or null when absent. */
export function parsePlatform(value: unknown): Platform | null {
  const p = asObject(value);
  if (!p) return null;
  return {
    os: asString(p.os),
    architecture: asString(p.architecture),
    variant: asString(p.variant),
    osVersion: asString(p['os.version']),
    osFeatures: asStringArray(p['os.features']),
    ...(Array.isArray(p.features) ? { features: asStringArray(p.features) } : {}),
  };
}

/** Returns the descriptor, or null (with a problem noted) when its digest or size is invalid. */
export function parseDescriptor(
  value: unknown,
  where: string,
  problems: Problem[],
): Descriptor | null {
  const d = asObject(value);
  if (!d) {
    problems.push(problem('descriptor-invalid', `${where} is not a descriptor object`, where));
    return null;
  }
  const digest = parseDigest(d.digest);
  if (!digest) {
    problems.push(
      problem(
        'descriptor-invalid',
        `${where} has an invalid digest ${JSON.stringify(d.digest)}`,
        where,
      ),
    );
    return null;
  }
  const size = d.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    problems.push(
      problem(
        'descriptor-invalid',
        `${where} (${digest}) has an invalid size ${JSON.stringify(size)}`,
        digest,
      ),
    );
    return null;
  }
  return {
    mediaType: asString(d.mediaType),
    digest,
    size,
    platform: parsePlatform(d.platform),
    annotations: asStringMap(d.annotations) ?? {},
    artifactType: asString(d.artifactType),
  };
}
