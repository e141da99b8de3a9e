import type { Archive, ArchiveEntry } from '../archive/archive.ts';
import { ArchiveError } from '../errors.ts';
import { MAX_JSON_BYTES } from '../limits.ts';
import { oneLine } from '../text.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Returns the parsed JSON of an entry; throws ArchiveError naming the entry when it is not JSON. */
export async function readJson(
  archive: Archive,
  entry: ArchiveEntry,
  where: string,
): Promise<unknown> {
  const bytes = await archive.read(entry, MAX_JSON_BYTES);
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = oneLine(error instanceof Error ? error.message : String(error));
    throw new ArchiveError('json-invalid', `${where} is not valid JSON (${detail})`, entry.name);
  }
}

/** Returns the value if it is a JSON object (not null, not an array), else null. */
export function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

/** Returns the value if it is a string, else null. */
export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Returns the value if it is an array, else null. */
export function asArray(value: unknown): unknown[] | null {
  return Array.isArray(value) ? value : null;
}

/** Returns the strings of a JSON array of strings, or null when it is not one. */
export function asStringArray(value: unknown): string[] | null {
  const array = asArray(value);
  if (!array || !array.every((v) => typeof v === 'string')) return null;
  return array as string[];
}

/** Returns a string-to-string map, dropping non-string values; null when not an object. */
export function asStringMap(value: unknown): Record<string, string> | null {
  const object = asObject(value);
  if (!object) return null;
  const map: Record<string, string> = {};
  // Defined, not assigned: `map['__proto__'] = v` would hit Object.prototype's setter and
  // drop a label named `__proto__`; defineProperty keeps it as an ordinary own key.
  for (const [k, v] of Object.entries(object)) {
    if (typeof v === 'string')
      Object.defineProperty(map, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return map;
}
