/**
 * What a kept report must look like before the page reads it. IndexedDB hands back whatever was
 * written under the key (another tab's bug, a hand edit, a browser extension): every field the
 * page reads is checked for its type, and strings and lists for a size the page can show.
 * Fields it does not read are passed through unchecked.
 */
import type { Report } from '../../lib/report/model.ts';
import { MAX_JSON_BYTES } from '../../lib/limits.ts';

/** No string of a report is longer than the document it came from. */
export const MAX_STRING_CHARS = MAX_JSON_BYTES;
/** Characters (and list items) read from one entry, all strings together. */
export const MAX_ENTRY_CHARS = 256 * 1024 * 1024;

/** A kept value that is not what this version writes: `where` is its path in the entry. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where} ${what}`);
  }
}

/** How much an entry may still hold, counted as it is read. */
interface Budget {
  left: number;
}

type Rule = (value: unknown, where: string, budget: Budget) => void;

// Keys that no object of the schema has: their presence means the entry was made by hand.
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

function spend(budget: Budget, units: number, where: string): void {
  budget.left -= units;
  if (budget.left < 0) throw new ShapeError(where, 'makes the entry too large to read');
}

const str: Rule = (value, where, budget) => {
  if (typeof value !== 'string') throw new ShapeError(where, `is ${typeName(value)}, not text`);
  if (value.length > MAX_STRING_CHARS)
    throw new ShapeError(where, `is ${value.length.toLocaleString('en-US')} characters long`);
  spend(budget, value.length, where);
};

const num: Rule = (value, where) => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ShapeError(where, `is ${typeName(value)}, not a number`);
};

const size: Rule = (value, where, budget) => {
  num(value, where, budget);
  if ((value as number) < 0) throw new ShapeError(where, 'is negative');
};

const bool: Rule = (value, where) => {
  if (typeof value !== 'boolean')
    throw new ShapeError(where, `is ${typeName(value)}, not true or false`);
};

/** A field that entries written before it existed lack. */
const optional =
  (rule: Rule): Rule =>
  (value, where, budget) => {
    if (value !== undefined) rule(value, where, budget);
  };

const nullable =
  (rule: Rule): Rule =>
  (value, where, budget) => {
    if (value !== null) rule(value, where, budget);
  };

const oneOf =
  (...allowed: string[]): Rule =>
  (value, where, budget) => {
    str(value, where, budget);
    if (!allowed.includes(value as string))
      throw new ShapeError(
        where,
        `is "${(value as string).slice(0, 40)}", not one of ${allowed.join(', ')}`,
      );
  };

const list =
  (item: Rule): Rule =>
  (value, where, budget) => {
    if (!Array.isArray(value)) throw new ShapeError(where, `is ${typeName(value)}, not a list`);
    spend(budget, value.length, where);
    for (let i = 0; i < value.length; i++) item(value[i], `${where}[${i}]`, budget);
  };

/** A free-form record (labels): any key is data, each value checked. */
const record =
  (item: Rule): Rule =>
  (value, where, budget) => {
    plainObject(value, where);
    for (const [key, v] of Object.entries(value as object)) {
      str(key, `${where} key`, budget);
      item(v, `${where}[${JSON.stringify(key.slice(0, 40))}]`, budget);
    }
  };

/** An object of the schema: each listed field checked; one of the forbidden keys refused. */
const shape =
  (fields: Record<string, Rule>): Rule =>
  (value, where, budget) => {
    plainObject(value, where);
    for (const key of FORBIDDEN_KEYS)
      if (Object.hasOwn(value as object, key)) throw new ShapeError(where, `has a "${key}" key`);
    for (const [name, rule] of Object.entries(fields)) {
      const own = Object.hasOwn(value as object, name);
      rule(own ? (value as Record<string, unknown>)[name] : undefined, `${where}.${name}`, budget);
    }
  };

function plainObject(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError(where, `is ${typeName(value)}, not an object`);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const text = nullable(str);
const texts = nullable(list(str));

const platform = shape({
  os: text,
  architecture: text,
  variant: text,
  osVersion: text,
  osFeatures: texts,
});

const historyEntry = shape({ created: text, createdBy: text, emptyLayer: bool, dockerfile: str });

const layer = shape({
  digest: text,
  size: nullable(size),
  mediaType: text,
  diffId: text,
  compression: text,
});

const manifest = shape({
  platform,
  platformString: str,
  kind: str,
  included: optional(bool),
  subject: text,
  digest: text,
  mediaType: text,
  size: nullable(size),
  dockerVersion: text,
  totalSize: size,
  imageId: text,
  created: text,
  entrypoint: texts,
  cmd: texts,
  shell: texts,
  env: texts,
  labels: nullable(record(str)),
  user: text,
  exposedPorts: texts,
  workingDir: text,
  history: list(historyEntry),
  layers: list(layer),
});

const image = shape({
  ref: str,
  name: text,
  digest: text,
  mediaType: text,
  manifests: list(manifest),
});

const check = shape({
  kind: str,
  target: str,
  expected: text,
  actual: text,
  ok: bool,
  message: str,
});

/** A verification as the report carries it. */
export const verificationRule = shape({
  status: oneOf('ok', 'failed', 'partial', 'not-run'),
  checks: list(check),
});

const problem = shape({ code: str, where: text, message: str });

const report = shape({
  schema: oneOf('stevedore.report/v1'),
  source: shape({ name: str, size, format: str, compression: str }),
  images: list(image),
  verification: verificationRule,
  problems: list(problem),
});

/** The fields of a library entry besides its version. */
export const entryRule = shape({
  id: str,
  fileName: str,
  size,
  openedAt: num,
  // Absent in entries written before it was kept.
  verifiedAt: optional(nullable(num)),
  report,
});

/** Returns `value` as a Report once every field the page reads has the right type; throws a
 * ShapeError naming the first one that does not. */
export function checkReport(value: unknown, where = 'report'): Report {
  report(value, where, { left: MAX_ENTRY_CHARS });
  return value as Report;
}

/** Checks a library entry (its version aside); throws a ShapeError naming what is wrong. */
export function checkEntry(value: unknown): void {
  entryRule(value, 'entry', { left: MAX_ENTRY_CHARS });
}
