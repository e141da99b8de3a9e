/**
 * Small formatting helpers for the repo-info style report. Each one reproduces what
 * docker-library/repo-info's `.remote.pl` prints, so that our Markdown can be compared
 * byte for byte with theirs.
 */
import type { Platform } from './model.ts';

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const SIZE_SCALE = 1000;

/** Returns `x` with one decimal, rounding exact ties to even as C's `printf("%.1f")` does. */
function toFixed1(x: number): string {
  // Number#toFixed rounds exact ties up, printf (and so repo-info's Perl) rounds them to even.
  // A double is an exact tie at one decimal only when it is n + 0.25 or n + 0.75, i.e. when
  // 4x is an odd integer; only n + 0.25 rounds differently (n.3 vs n.2).
  // Sizes are never negative, so only the positive tie needs handling.
  const quarters = x * 4;
  if (Number.isInteger(quarters) && quarters % 4 === 1) {
    const tenths = Math.floor(x * 10); // exact: x * 10 = m + 0.5 with m even
    return (tenths / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** Returns a byte count as repo-info prints it: `230.0 B`, `301.9 KB (301875 bytes)`. */
export function formatSize(bytes: number): string {
  // The unit steps up only while the whole part in the current unit is > 1000,
  // so 1000 B stays `1000.0 B` and 1000500 B is `1000.5 KB`.
  let unit = 0;
  while (unit + 1 < SIZE_UNITS.length && Math.trunc(bytes / SIZE_SCALE ** unit) > SIZE_SCALE) {
    unit++;
  }
  const text = `${toFixed1(bytes / SIZE_SCALE ** unit)} ${SIZE_UNITS[unit]}`;
  return unit === 0 ? text : `${text} (${bytes} bytes)`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Returns the days from 1970-01-01 to the given proleptic Gregorian date (may be negative). */
function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's algorithm: exact for any year, unlike Date's two-digit-year quirks.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Returns `[year, month (1-12), day]` for a day count from 1970-01-01. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

function pad(n: number, width: number): string {
  const digits = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${digits}` : digits;
}

/** Returns an RFC 3339 time as `Tue, 09 Apr 2019 23:20:18 GMT` (UTC, fraction cut); null if bad. */
export function formatDate(rfc3339: string): string | null {
  const m = RFC3339.exec(rfc3339);
  if (!m) return null;
  // Groups 1-6 always match; the defaults only satisfy the type checker.
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map(Number);
  const offsetHours = Number(m[8] ?? 0);
  const offsetMinutes = Number(m[9] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // 60 is a leap second (RFC 3339 allows it); it rolls over like Perl's timegm would.
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) {
    return null;
  }

  const offset = (m[7] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const utc = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const days = Math.floor((utc - offset) / 86400);
  const secs = utc - offset - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const weekday = WEEKDAYS[(((days + 4) % 7) + 7) % 7]; // 1970-01-01 was a Thursday
  const hms = [Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60];
  const time = hms.map((n) => pad(n, 2)).join(':');
  return `${weekday}, ${pad(d, 2)} ${MONTHS[mo - 1]} ${pad(y, 4)} ${time} GMT`;
}

/** Returns ` ft. a, b` for a feature list, '' for none. */
function featureList(features: string[] | null | undefined): string {
  return features && features.length > 0 ? ` ft. ${features.join(', ')}` : '';
}

/** Returns repo-info's spelling of a platform, e.g. `linux; arm variant v7`,
 * `windows version 10.0.17763.1518 ft. win32k; amd64`. */
export function platformString(p: Platform): string {
  // repo-info defaults a missing os/architecture to linux/amd64; we say `unknown`, which is
  // also what attestation manifests carry. Empty strings count as missing.
  const os = p.os || 'unknown';
  const version = p.osVersion ? ` version ${p.osVersion}` : '';
  const arch = p.architecture || 'unknown';
  const variant = p.variant ? ` variant ${p.variant}` : '';
  // repo-info's platform_string also prints the manifest list's old `platform.features`
  // (reserved in OCI) after the variant; the model does not read it yet, so it is optional.
  return `${os}${version}${featureList(p.osFeatures)}; ${arch}${variant}${featureList(p.features)}`;
}

/** Returns a JSON string literal escaped as Mojo::JSON does (`/` as `\/`, controls as `\u00XX`). */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '/':
        out += '\\/';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
          out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
        } else {
          out += ch;
        }
      }
    }
  }
  return `${out}"`;
}

/** Returns compact JSON as repo-info's Mojo::JSON writes it: `["cmd","\/C"]`. */
export function jsonCompact(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v: unknown) => jsonCompact(v)).join(',')}]`;
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${jsonString(k)}:${jsonCompact(v)}`);
    return `{${pairs.join(',')}}`;
  }
  return 'null';
}
