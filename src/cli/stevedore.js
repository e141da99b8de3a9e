#!/usr/bin/env node
// The command line straight from the TypeScript sources, through tsx: for development in the
// repository (`node src/cli/stevedore.js report x.tar`). The package's `stevedore-image`
// command is the same program built to plain JavaScript (dist-cli/stevedore.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./entry.ts');
