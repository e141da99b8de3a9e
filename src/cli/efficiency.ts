/**
 * `stevedore efficiency <archive> [--platform …] [--ci] [--lowest-efficiency 0.9]
 * [--highest-wasted-bytes disabled] [--highest-user-wasted-percent 0.1]`: dive's figures for one
 * platform, computed exactly as dive does (src/lib/layers/dive.ts), beside Stevedore's own
 * shadowed and reclaimable bytes; with --ci, dive's three rules judge them (dive's names,
 * defaults and comparisons) and a failed rule exits 1. dive's own flag spellings
 * (`--lowestEfficiency` …) are accepted too.
 */
import { diveAnalysis } from '../lib/layers/dive.ts';
import {
  DIVE_RULE_DEFAULTS,
  evaluateRules,
  parseRules,
  rulesPass,
  type RuleName,
} from '../lib/layers/rules.ts';
import { SHADOW_CLASSES } from '../lib/layers/space.ts';
import {
  escapeName,
  listImage,
  platformOption,
  runNotes,
  splitArgs,
  runListingCommand,
  verificationFailed,
} from './list-layers.ts';

export const EFFICIENCY_USAGE = `       stevedore-image efficiency <archive> [--platform os/arch[/variant]] [--ci]
                       [--lowest-efficiency ${DIVE_RULE_DEFAULTS.lowestEfficiency}] [--highest-wasted-bytes ${DIVE_RULE_DEFAULTS.highestWastedBytes}] [--highest-user-wasted-percent ${DIVE_RULE_DEFAULTS.highestUserWastedPercent}]`;

/** Each rule's flag, and dive's own spelling of it. */
const RULE_FLAGS: [RuleName, string][] = [
  ['lowestEfficiency', 'lowest-efficiency'],
  ['highestWastedBytes', 'highest-wasted-bytes'],
  ['highestUserWastedPercent', 'highest-user-wasted-percent'],
];

interface EfficiencyOptions {
  path: string;
  platform: string | null;
  ci: boolean;
  rules: Partial<Record<RuleName, string>>;
}

/** Returns the parsed options of `efficiency` (argv after the command), or an error message. */
export function parseEfficiencyArgs(argv: readonly string[]): EfficiencyOptions | string {
  const names = RULE_FLAGS.flatMap(([dive, kebab]) => [kebab, dive]);
  const a = splitArgs(argv, ['platform', ...names], ['ci']);
  if (typeof a === 'string') return a === 'needs an archive path' ? `efficiency ${a}` : a;
  const platform = platformOption(a.values);
  if (platform && typeof platform === 'object') return platform.error;
  const rules: Partial<Record<RuleName, string>> = {};
  for (const [dive, kebab] of RULE_FLAGS) {
    const v = a.values.get(kebab) ?? a.values.get(dive);
    if (v === undefined) continue;
    // dive reads its rules only in CI mode: a threshold without --ci would silently do nothing.
    if (!a.flags.has('ci')) return `--${kebab} goes with --ci`;
    rules[dive] = v;
  }
  try {
    parseRules(rules);
  } catch (error) {
    return (error as Error).message;
  }
  return { path: a.path, platform, ci: a.flags.has('ci'), rules };
}

/** Runs `stevedore efficiency`; returns the exit code (0, or 1 when a rule fails with --ci or
 * verification fails; 2 when the layers cannot be listed). */
export async function efficiencyCommand(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  return runListingCommand(argv, EFFICIENCY_USAGE, parseEfficiencyArgs, err, async (archive, o) => {
    const listed = await listImage(archive, o.platform);
    for (const n of runNotes(listed, o.platform)) err(`stevedore: ${escapeName(n)}\n`);
    const { fs, space } = listed.layers;
    const dive = diveAnalysis(fs.layers);
    const lines = [
      `image: ${listed.image.ref}${listed.platform ? ` (${listed.platform})` : ''}`,
      `efficiency: ${dive.efficiency}`,
      `image size: ${dive.sizeBytes} bytes`,
      `user size: ${dive.userSizeBytes} bytes`,
      `wasted bytes: ${dive.wastedBytes}`,
      `user wasted percent: ${dive.wastedUserPercent}`,
      `inefficient files: ${dive.inefficientFiles.length} (copies, bytes of all copies, path)`,
      ...dive.inefficientFiles.map(
        (f) =>
          `  ${String(f.count).padStart(5)} ${String(f.cumulativeSize).padStart(12)}  ${escapeName(f.path)}`,
      ),
      `shadowed bytes: ${space.shadowedBytes} (${SHADOW_CLASSES.map((c) => `${c} ${space.byClass[c].bytes}`).join(', ')})`,
      `reclaimable bytes: ${dive.reclaimableBytes}`,
    ];
    if (dive.abortedLayers.length > 0)
      lines.push(
        `note: dive stops reading layer${dive.abortedLayers.length === 1 ? '' : 's'} ${dive.abortedLayers.map((l) => l + 1).join(', ')} at a whiteout of a missing path; so do these figures`,
      );
    let code = verificationFailed(listed) ? 1 : 0;
    if (o.ci) {
      const results = evaluateRules(parseRules(o.rules), {
        efficiency: dive.efficiency,
        wastedBytes: dive.wastedBytes,
        wastedUserPercent: dive.wastedUserPercent,
      });
      lines.push('rules:');
      for (const r of results) {
        const status = r.status === 'disabled' ? 'SKIP' : r.status.toUpperCase();
        lines.push(`  ${status}: ${r.name}${r.message ? `: ${r.message}` : ''}`);
      }
      const pass = rulesPass(results);
      lines.push(`result: ${pass ? 'PASS' : 'FAIL'}`);
      if (!pass) code = 1;
    }
    out(`${lines.join('\n')}\n`);
    return code;
  });
}
