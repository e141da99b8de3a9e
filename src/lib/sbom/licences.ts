/**
 * Licences as the package databases name them, sorted into SPDX expressions and named
 * licences. A name parses as an expression when spdx-expression-parse accepts it (ids of the
 * SPDX licence list, `+`, `WITH`, `AND`, `OR`, case as the list writes it): `MIT`,
 * `GPL-2.0-or-later`, `MIT AND BSD-2-Clause`. Anything else (`GPL-2+`, `BSD-3-clause`,
 * `public-domain`, `MIT BSD`) is kept as the database wrote it, as a named licence: SPDX
 * gives it a `LicenseRef-` with the text in hasExtractedLicensingInfos, CycloneDX a `name`.
 * An expression naming its own `LicenseRef-` or `DocumentRef-` is named too: the document
 * could not say what that reference means.
 */
import parse from './generated/spdx-expression-parse.js';

/** One licence of a package: an SPDX expression, or a name that is not one. */
export type Licence = { expression: string; compound: boolean } | { name: string };

/** Returns the licences of a package, empty and repeated names dropped, in input order. */
export function classifyLicences(names: readonly string[]): Licence[] {
  const out: Licence[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const text = raw.trim();
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    out.push(asExpression(text) ?? { name: text });
  }
  return out;
}

/** Parse results by text: images repeat a few licence names across hundreds of packages, and
 * a failed parse (an exception) is slow. Bounded: emptied when full. */
const parsed = new Map<string, Licence | null>();
const MAX_PARSED = 10_000;

function asExpression(text: string): Licence | null {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  let result: Licence | null = null;
  if (!/LicenseRef-|DocumentRef-/i.test(text)) {
    try {
      const info = parse(text);
      result = { expression: text, compound: 'conjunction' in info || /\s/.test(text) };
    } catch {
      result = null;
    }
  }
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, result);
  return result;
}

/** Returns the SPDX ids of named licences for one document: `LicenseRef-` + the name with
 * every run of characters outside [A-Za-z0-9.] made `-` (at most 60 characters), a counter
 * added where two names would meet. Ids are given in the order names are first asked for. */
export class LicenceRefs {
  #byName = new Map<string, string>();
  #used = new Set<string>();

  /** Returns the `LicenseRef-` id of a named licence, the same for the same name. */
  idOf(name: string): string {
    const known = this.#byName.get(name);
    if (known) return known;
    const stem =
      name
        .replace(/[^A-Za-z0-9.]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '') || 'unnamed';
    let id = `LicenseRef-${stem}`;
    for (let n = 2; this.#used.has(id); n++) id = `LicenseRef-${stem}-${n}`;
    this.#used.add(id);
    this.#byName.set(name, id);
    return id;
  }

  /** Returns every named licence given an id: [id, name], in the order they were given. */
  entries(): [string, string][] {
    return [...this.#byName].map(([name, id]) => [id, name]);
  }
}

/** Returns one SPDX expression for all of a package's licences (joined with AND, compound
 * ones in parentheses), named ones by their `LicenseRef-`; null when there is none. */
export function spdxExpression(licences: readonly Licence[], refs: LicenceRefs): string | null {
  if (licences.length === 0) return null;
  const parts = licences.map((l) => ('name' in l ? refs.idOf(l.name) : l.expression));
  if (parts.length === 1) return parts[0]!;
  return licences
    .map((l, i) => ('expression' in l && l.compound ? `(${parts[i]})` : parts[i]!))
    .join(' AND ');
}
