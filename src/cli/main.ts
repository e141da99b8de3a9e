// Only light modules are imported here: `--help` and `--version` must answer without loading
// the lib (fast start of the built CLI). A command imports what it needs when it runs.
import { version } from '../../package.json' with { type: 'json' };
import type { Archive } from '../lib/archive/archive.ts';
import type { Report } from '../lib/report/model.ts';
import { ArchiveError } from '../lib/errors.ts';
import { oneLine } from '../lib/text.ts';
import { incompleteness } from '../lib/verify/verdict.ts';
import { progressLine, type ProgressStream } from './progress.ts';
import { withArchive } from './with-archive.ts';

const USAGE = `usage: stevedore-image report <archive> [--format md|json]
       stevedore-image verify <archive> [--format text|json] [--platform os/arch[/variant]]
       stevedore-image files <archive> [--platform os/arch[/variant]] [--layer N] [--format text|json]
       stevedore-image efficiency <archive> [--platform os/arch[/variant]] [--ci] [--lowest-efficiency 0.9]
                       [--highest-wasted-bytes disabled] [--highest-user-wasted-percent 0.1]
       stevedore-image packages <archive> [--platform os/arch[/variant]] [--format text|json]
       stevedore-image report <archive> --local [--platform os/arch[/variant]] [--offline-note]
       stevedore-image sbom <archive> --format spdx-json|cyclonedx-json [--platform os/arch[/variant]]
       stevedore-image --version | --help

  report   print the repo-info style report of an image archive (docker save, OCI
           layout archive, .tar.gz of either, or an OCI layout directory);
           Markdown by default
  verify   check every blob against its digest and size, every layer against its
           diff_id, every digest-named file against its name; print each failure on
           its own line (or, with --format json, the report with its verification);
           exit 0 when all checks pass, 1 when any fails or a blob cannot be
           checked, 2 when the archive cannot be read; --platform verifies one
           platform (and the indexes above it), e.g. linux/arm64/v8;
           on a terminal, a progress line on stderr (bytes, MB/s, ETA)
  files    list the merged filesystem of one platform (the first image manifest
           unless --platform says), one line per path with the layer that last
           wrote it and how (added, modified, metadata, unchanged, rewritten,
           implied); --layer N (1 = base) lists what layer N changed, deletions
           included; --format json gives one record per path; every layer is
           verified and listed in the same read
  efficiency  dive's figures for one platform (efficiency, wasted bytes, user
           wasted percent, inefficient files) and Stevedore's shadowed and
           reclaimable bytes; with --ci, dive's rules judge them and a failed
           rule exits 1
  packages the OS packages (apk, dpkg, rpm) of one platform, read from its
           layers in the same read that verifies them: name, version, arch,
           source, licences, installed size and the layer that installed or
           last changed each; a database that cannot be read is a problem on
           stderr naming the file (exit 0: the rest is still listed)
  report --local  repo-info's local report (Docker metadata and the apk,
           dpkg and rpm sections) of one platform, from its layers
  sbom     the SBOM of one platform (SPDX 2.3 or CycloneDX 1.6 JSON): the image
           as the root, every OS package with its purl and licences; checked
           against the official schema; the same image gives the same bytes
`;

/** The version of the package, printed by `--version`. */
export const VERSION: string = version;

/** Exit codes: 0 report produced, 1 verification failed, 2 the input cannot give a report. */
export const EXIT = { ok: 0, failed: 1, unreadable: 2 } as const;

interface Options {
  command: 'report' | 'verify';
  path: string;
  format: 'md' | 'json' | 'text';
  /** `verify` only: the one platform to verify, `os/arch[/variant]`. */
  platform: string | null;
}

/** The formats each command prints, the first its default. */
const FORMATS = { report: ['md', 'json'], verify: ['text', 'json'] } as const;

/** Returns the parsed command line, or an error message. */
export function parseArgs(argv: string[]): Options | string {
  const positional: string[] = [];
  let format: string | undefined;
  let platform: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--format' || arg.startsWith('--format=')) {
      format = (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]) ?? '';
    } else if (arg === '--platform' || arg.startsWith('--platform=')) {
      platform = (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]) ?? '';
    } else if (arg === '-h' || arg === '--help') return '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  const [command, path, ...rest] = positional;
  if (command !== 'report' && command !== 'verify')
    return command ? `unknown command "${command}"` : '';
  const formats: readonly string[] = FORMATS[command];
  if (format !== undefined && !formats.includes(format))
    return `--format takes ${formats.join(' or ')}, not ${JSON.stringify(format)}`;
  if (!path) return `${command} needs an archive path`;
  if (rest.length > 0) return `unexpected argument "${rest[0]}"`;
  if (platform !== null) {
    if (command !== 'verify') return '--platform goes with verify';
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform))
      return `--platform takes os/arch[/variant], e.g. linux/arm64/v8, not ${JSON.stringify(platform)}`;
  }
  return { command, path, format: (format ?? formats[0]) as Options['format'], platform };
}

/** Runs the command line; returns the exit code. Writes the report to stdout, problems to stderr. */
export async function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
  /** Where `verify` draws its progress line, if it is a terminal; none in-process. */
  terminal: ProgressStream | null = null,
): Promise<number> {
  if (argv.includes('--version') && !argv.includes('--help')) {
    out(`${VERSION}\n`);
    return EXIT.ok;
  }
  // The layer commands parse their own options (src/cli/files.ts, src/cli/efficiency.ts).
  if (argv[0] === 'packages' || (argv[0] === 'report' && argv.includes('--local'))) {
    const { packagesCommand } = await import('./packages.ts');
    return packagesCommand(argv[0], argv.slice(1), out, err);
  }
  if (argv[0] === 'sbom') {
    const { sbomCommand } = await import('./sbom.ts');
    return sbomCommand(argv.slice(1), out, err);
  }
  if (argv[0] === 'files' || argv[0] === 'efficiency') {
    const run =
      argv[0] === 'files'
        ? (await import('./files.ts')).filesCommand
        : (await import('./efficiency.ts')).efficiencyCommand;
    return run(argv.slice(1), out, err);
  }
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    err(options ? `stevedore: ${options}\n\n${USAGE}` : USAGE);
    return options ? EXIT.unreadable : EXIT.ok;
  }
  const [{ inspectArchive }, { readImageArchive }, { buildReport }, { UNCHECKED_CODES }] =
    await Promise.all([
      import('../lib/inspect.ts'),
      import('../lib/oci/read.ts'),
      import('../lib/report/build.ts'),
      import('../lib/verify/plan.ts'),
    ]);
  let report: Report;
  try {
    report = await withArchive(options.path, async (archive) => {
      const read = await inspectArchive(archive);
      for (const p of read.problems) err(`stevedore: problem: ${oneLine(p.message)}\n`);
      if (options.command === 'report') return read;
      const { platform } = options;
      const [{ verifyInProcess }, { nodeEngine }] = await Promise.all([
        import('../lib/verify/run.ts'),
        import('./node-hash.ts'),
      ]);
      const progress = terminal && progressLine(terminal);
      const { verification, jobs, hashed } = await verifyInProcess(archive, read, {
        engine: nodeEngine,
        platform,
        onProgress: progress ? (p) => progress.update(p) : undefined,
      }).finally(() => progress?.clear());
      if (options.format === 'text') {
        for (const c of verification.checks) if (!c.ok) out(`${c.kind}: ${oneLine(c.message)}\n`);
        for (const j of jobs) {
          if (j.state === 'error' || j.state === 'unsupported')
            out(`not verified: ${oneLine(j.detail ?? j.name ?? '')}\n`);
        }
        for (const p of read.problems)
          if (UNCHECKED_CODES.has(p.code)) out(`not verified: ${oneLine(p.message)}\n`);
        const unread = read.problems.filter((p) => UNCHECKED_CODES.has(p.code)).length;
        const verdict = summary(verification.checks, jobs, incompleteness(read, platform), unread);
        err(`stevedore: ${oneLine(options.path)}: ${verdict}\n`);
      }
      // Layers named only by path (legacy gzip layer.tar) now have the digest just hashed.
      const verified = buildReport(archive, await readImageArchive(archive), hashed);
      return { ...verified, verification };
    });
  } catch (error) {
    err(`stevedore: ${oneLine(describeFailure(options.path, error))}\n`);
    return EXIT.unreadable;
  }
  if (options.format === 'json') out((await import('../lib/report/json.ts')).renderJson(report));
  else if (options.command === 'report')
    out((await import('../lib/report/markdown.ts')).renderMarkdown(report));
  if (options.command === 'report') return EXIT.ok;
  // A platform asked for that the archive does not have verified nothing of it.
  if (options.platform && incompleteness(report, options.platform)) return EXIT.failed;
  return report.verification.status === 'ok' ? EXIT.ok : EXIT.failed;
}

/** Returns one line counting checks passed and failed, blobs left unchecked, and platforms
 * the archive does not hold. */
function summary(
  checks: { ok: boolean }[],
  jobs: { state: string }[],
  missing: string | null,
  /** Problems that left part of the archive unread ("not verified:" lines on stdout). */
  unread = 0,
): string {
  const failed = checks.filter((c) => !c.ok).length;
  const unchecked = jobs.filter((j) => j.state === 'error' || j.state === 'unsupported').length;
  const parts = [
    failed > 0 ? `${failed} of ${checks.length} checks failed` : `${checks.length} checks passed`,
  ];
  if (unchecked > 0) parts.push(`${unchecked} blob(s) not verified`);
  if (missing) parts.push(missing);
  // Checks that all passed over part of the archive are not a pass: say so on the last line.
  if (unread > 0)
    parts.push(
      `incomplete: ${unread} problem${unread === 1 ? '' : 's'} left part of the archive unread`,
    );
  return parts.join('; ');
}

/** Returns one line saying why `path` gave no report; never a stack trace. */
export function describeFailure(path: string, error: unknown): string {
  if (error instanceof ArchiveError) return `${path}: ${error.message}`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `cannot open ${path}: no such file`;
  if (code === 'EACCES') return `cannot open ${path}: permission denied`;
  // Anything else is a bug of ours; still one line.
  return `${path}: internal error: ${error instanceof Error ? error.message : String(error)}`;
}
