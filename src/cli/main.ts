import { stat } from 'node:fs/promises';
import { inspectArchive, inspectSource } from '../lib/inspect.ts';
import type { Report } from '../lib/report/model.ts';
import { ArchiveError } from '../lib/errors.ts';
import { oneLine } from '../lib/text.ts';
import { renderMarkdown } from '../lib/report/markdown.ts';
import { renderJson } from '../lib/report/json.ts';
import { nodeDirectoryArchive } from './node-directory.ts';
import { nodeFileSource } from './node-source.ts';

const USAGE = `usage: stevedore report <archive> [--format md|json]

  report   print the repo-info style report of an image archive (docker save, OCI
           layout archive, .tar.gz of either, or an OCI layout directory);
           Markdown by default
`;

/** Exit codes: 0 report produced, 1 verification failed, 2 the input cannot give a report. */
export const EXIT = { ok: 0, failed: 1, unreadable: 2 } as const;

interface Options {
  command: string;
  path: string;
  format: 'md' | 'json';
}

/** Returns the parsed command line, or an error message. */
export function parseArgs(argv: string[]): Options | string {
  const positional: string[] = [];
  let format: 'md' | 'json' = 'md';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value !== 'md' && value !== 'json')
        return `--format takes md or json, not ${JSON.stringify(value ?? '')}`;
      format = value;
    } else if (arg === '-h' || arg === '--help') return '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  const [command, path, ...rest] = positional;
  if (command !== 'report') return command ? `unknown command "${command}"` : '';
  if (!path) return `${command} needs an archive path`;
  if (rest.length > 0) return `unexpected argument "${rest[0]}"`;
  return { command, path, format };
}

/** Runs the command line; returns the exit code. Writes the report to stdout, problems to stderr. */
export async function main(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    err(options ? `stevedore: ${options}\n\n${USAGE}` : USAGE);
    return options ? EXIT.unreadable : EXIT.ok;
  }
  try {
    const report = await reportOf(options.path);
    out(options.format === 'json' ? renderJson(report) : renderMarkdown(report));
    for (const p of report.problems) err(`stevedore: problem: ${oneLine(p.message)}\n`);
    return EXIT.ok;
  } catch (error) {
    err(`stevedore: ${oneLine(describeFailure(options.path, error))}\n`);
    return EXIT.unreadable;
  }
}

/** Returns the report of an archive file or an OCI layout directory. */
async function reportOf(path: string): Promise<Report> {
  if ((await stat(path)).isDirectory()) return inspectArchive(await nodeDirectoryArchive(path));
  const source = await nodeFileSource(path);
  try {
    return await inspectSource(source);
  } finally {
    await source.close();
  }
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
