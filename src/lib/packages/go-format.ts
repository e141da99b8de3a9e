/**
 * How Docker's `docker inspect -f` prints the local report's header values: Go's time format
 * (RFC3339Nano), docker/cli's `json` template function, and scan-local.sh's awk for sizes.
 */

/** Returns a config `created` value as Go's RFC3339Nano prints the parsed time: fraction cut to
 * nanoseconds with trailing zeros trimmed, a zero offset as `Z` (the daemon runs in UTC);
 * `0001-01-01T00:00:00Z` (Go's zero time) when absent; unparseable text unchanged. */
export function goTime(created: string | null): string {
  if (created === null) return '0001-01-01T00:00:00Z';
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(created);
  if (!m) return created;
  const fraction = (m[2] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : (m[3] ?? 'Z');
  return `${m[1]}${fraction ? `.${fraction}` : ''}${zone}`;
}

/** Returns JSON as docker/cli's `json` template function writes it (Go's encoder with HTML
 * escaping off): compact, `<>&` and `/` literal, controls as `\n \r \t` or `\u00XX`,
 * U+2028/U+2029 escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function goString(s: string): string {
  // eslint-disable-next-line no-control-regex
  const body = s.replace(
    /["\\\u0000-\u001f\u2028\u2029]/g,
    (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${body}"`;
}

/** Returns scan-local.sh's Virtual Size text: base 1000, `~ %.2f Gb|Mb|Kb`, else `%d bytes`. */
export function virtualSizeText(bytes: number): string {
  for (const [limit, unit] of [
    [1e9, 'Gb'],
    [1e6, 'Mb'],
    [1e3, 'Kb'],
  ] as const) {
    if (bytes >= limit) return `~ ${fixed2(bytes / limit)} ${unit}`;
  }
  return `${Math.trunc(bytes)} bytes`;
}

/** Returns printf("%.2f") of a double as glibc/musl round it: the exact binary value, ties
 * to even. A tie at two decimals needs a value that is an odd multiple of 1/8 (.125, .375…);
 * toFixed breaks those ties upwards, so they are rounded here. */
function fixed2(x: number): string {
  const eighths = x * 8; // exact: a power-of-two scaling
  if (Number.isInteger(eighths) && eighths % 2 !== 0 && Math.abs(x) < 2 ** 49) {
    const down = Math.floor(x * 100) / 100;
    const downCents = Math.floor(x * 100);
    return (downCents % 2 === 0 ? down : (downCents + 1) / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** Returns apk-tools 2.12's `apk_get_human_size` text: divided by 1024 while ≥ 10000. */
export function apkHumanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let s = bytes;
  let i = 0;
  for (; s >= 10000 && i < units.length; i++) s = Math.floor(s / 1024);
  return `${s} ${units[Math.min(i, units.length - 1)]}`;
}
