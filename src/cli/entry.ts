/**
 * The program behind the `stevedore-image` command: what `npm run build` bundles into
 * dist-cli/stevedore.mjs, and what src/cli/stevedore.js runs through tsx in the repository.
 */
import { main } from './main.ts';

// `stevedore-image report x.tar | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2), undefined, undefined, process.stderr);
