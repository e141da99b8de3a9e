import type { Problem } from './report/model.ts';

/** An input that cannot give a report at all; `where` names the entry or digest at fault. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: string,
    message: string,
    readonly where: string | null = null,
  ) {
    super(message);
  }

  /** Returns this error as a Problem, for lists of what went wrong. */
  toProblem(): Problem {
    return { code: this.code, where: this.where, message: this.message };
  }
}

/** Returns a Problem record. */
export function problem(code: string, message: string, where: string | null = null): Problem {
  return { code, where, message };
}
