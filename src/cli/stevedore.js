#!/usr/bin/env node
// The command line: loads the TypeScript sources through tsx, so that it runs straight from
// the repository after `npm install`, on the same core the browser uses.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
