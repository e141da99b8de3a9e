/**
 * dive's CI gate as pure functions (wagoodman/dive `cmd/dive/cli/internal/command/ci/rules.go`,
 * `options/ci_rules.go`): the same three rule names, defaults (`lowestEfficiency` 0.9,
 * `highestWastedBytes` disabled, `highestUserWastedPercent` 0.1), value syntax (`disabled`,
 * `off`, `false` or empty turn a rule off; byte sizes as go-humanize `ParseBytes` reads them:
 * `20MB` is 20,000,000 and `20MiB` 20,971,520) and comparisons (strict: a figure equal to its
 * threshold passes).
 */

/** dive's rule names. */
export type RuleName = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent';

/** dive's defaults, as the strings its flags take. */
export const DIVE_RULE_DEFAULTS: Readonly<Record<RuleName, string>> = {
  lowestEfficiency: '0.9',
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: '0.1',
};

/** A parsed rule: its threshold, or null when disabled. */
export interface Rule {
  name: RuleName;
  configValue: string;
  threshold: number | null;
}

/** The figures the rules judge. */
export interface RuleFigures {
  efficiency: number;
  wastedBytes: number;
  wastedUserPercent: number;
}

/** One rule's verdict. */
export interface RuleResult {
  name: RuleName;
  status: 'pass' | 'fail' | 'disabled';
  message: string;
}

const SIZES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 2 ** 10,
  kib: 2 ** 10,
  m: 1e6,
  mb: 1e6,
  mi: 2 ** 20,
  mib: 2 ** 20,
  g: 1e9,
  gb: 1e9,
  gi: 2 ** 30,
  gib: 2 ** 30,
  t: 1e12,
  tb: 1e12,
  ti: 2 ** 40,
  tib: 2 ** 40,
  p: 1e15,
  pb: 1e15,
  pi: 2 ** 50,
  pib: 2 ** 50,
  e: 1e18,
  eb: 1e18,
  ei: 2 ** 60,
  eib: 2 ** 60,
};

/** Returns the bytes a size string means, as go-humanize's ParseBytes reads it. */
export function parseBytes(text: string): number {
  const m = /^([\d.,]*)(.*)$/s.exec(text)!;
  const digits = m[1]!.replace(/,/g, '');
  const unit = m[2]!.trim().toLowerCase();
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits)) throw new Error(`invalid size ${JSON.stringify(text)}`);
  const mult = SIZES[unit];
  if (mult === undefined) throw new Error(`unhandled size name: ${unit}`);
  return Math.floor(Number(digits) * mult);
}

function disabled(value: string): boolean {
  return ['', 'disabled', 'off', 'false'].includes(value.trim().toLowerCase());
}

function ratio(name: RuleName, value: string): number {
  const v = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
    throw new Error(`invalid ${name} config value, given ${JSON.stringify(value)}`);
  }
  const n = Number(v);
  if (n < 0 || n > 1)
    throw new Error(`${name} config value is outside allowed range (0-1), given '${value}'`);
  return n;
}

/** Returns the three rules from their config strings (dive's defaults where not given);
 * throws a message naming the rule on a bad value. */
export function parseRules(values: Partial<Record<RuleName, string>> = {}): Rule[] {
  const names: RuleName[] = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'];
  return names.map((name) => {
    const configValue = values[name] ?? DIVE_RULE_DEFAULTS[name];
    if (disabled(configValue)) return { name, configValue, threshold: null };
    const threshold =
      name === 'highestWastedBytes' ? parseBytes(configValue) : ratio(name, configValue);
    return { name, configValue, threshold };
  });
}

/** Returns each rule's verdict on the figures, with dive's messages. */
export function evaluateRules(rules: readonly Rule[], f: RuleFigures): RuleResult[] {
  return rules.map(({ name, threshold: t }) => {
    if (t === null) return { name, status: 'disabled', message: 'rule disabled' };
    let fail = '';
    if (name === 'lowestEfficiency' && t > f.efficiency) {
      fail = `image efficiency is too low (efficiency=${f.efficiency.toFixed(2)} < threshold=${t})`;
    } else if (name === 'highestWastedBytes' && f.wastedBytes > t) {
      fail = `too many bytes wasted (wasted-bytes=${f.wastedBytes} > threshold=${t})`;
    } else if (name === 'highestUserWastedPercent' && f.wastedUserPercent > t) {
      fail = `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${f.wastedUserPercent.toFixed(2)} > threshold=${t})`;
    }
    return { name, status: fail ? 'fail' : 'pass', message: fail };
  });
}

/** Returns true when no rule failed (the CLI exits 1 otherwise). */
export function rulesPass(results: readonly RuleResult[]): boolean {
  return results.every((r) => r.status !== 'fail');
}
