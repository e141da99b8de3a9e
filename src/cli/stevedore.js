#!/usr/bin/env node
// The command line: loads the TypeScript sources through tsx, so that it runs straight from
// the repository after `npm install`, on the same core the browser uses.
import { register } from 'tsx/esm/api';

register();
// `stevedore report x.tar | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
