/**
 * Rebuilding a Dockerfile line from a config history entry's `created_by`, with the rules of
 * docker-library/repo-info's `cmd_to_dockerfile` (the one-string case: every config history
 * since Docker 1.10 stores `created_by` as a single string).
 */

/** The shell the classic builder prefixes to every `created_by`, whatever the config says. */
const DEFAULT_SHELL = ['/bin/sh', '-c'];

const INSTRUCTIONS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];

// repo-info accepts any all-caps word here (`^[A-Z]+ `); naming the real instructions keeps a
// shell command that happens to start with an upper-case word from losing its `RUN`.
const INSTRUCTION = new RegExp(`^(?:${INSTRUCTIONS.join('|')})(?: |$)`);

const NOP = /^#\(nop\) +/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the Dockerfile line(s) for a history entry's `created_by`; '' when there is none. */
export function dockerfileFromHistory(createdBy: string | null, shell: string[] | null): string {
  if (!createdBy) return '';

  // Either prefix may start the command: the classic builder always wrote `/bin/sh -c`,
  // but once a Dockerfile says SHELL, RUN lines (and #(nop) lines) start with that shell.
  const shells = [DEFAULT_SHELL.join(' ')];
  if (shell && shell.length > 0) shells.push(shell.join(' '));
  const shellPrefix = `(?:${shells.map((s) => escapeRegExp(`${s} `)).join('|')})`;

  let str = createdBy.replace(/^RUN /, ''); // BuildKit's own prefix, added back below
  const lines: string[] = [];

  // `|N a=b c=d <shell> cmd`: the classic builder's record of the N build args a RUN saw.
  // Values may hold spaces, so the args end only where a known shell begins (as in repo-info).
  // `[^\n]` is Perl's `.`: the args never span lines.
  const args = new RegExp(`^\\|\\d+ ([^\\n]*?) (${shellPrefix})`).exec(str);
  if (args) {
    lines.push(`# ARGS: ${args[1]}`);
    str = str.slice(args[0].length - (args[2] ?? '').length);
  } else if (str.startsWith('|')) {
    // No shell to tell where the args end (an exec-form RUN): repo-info gives up the same way.
    return `# unable to parse image command string further:\n${str}`;
  }

  str = str.replace(new RegExp(`^${shellPrefix}`), '');
  if (NOP.test(str)) {
    str = str.replace(NOP, '');
  } else if (!INSTRUCTION.test(str)) {
    str = `RUN ${str}`;
  }
  lines.push(str);
  return lines.join('\n');
}
