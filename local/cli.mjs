#!/usr/bin/env node
// `renubu`: the Docker-free stand-in for `supabase start` and friends (see `renubu --help`).
import { ensureNpmDependencies } from './ensure-npm-deps.mjs';

ensureNpmDependencies();
// The import inside the chain: a setting read as it loads (a RENUBU_*_PORT that is no port) is
// said as one sentence too, not as a stack trace.
import('./renubu.mjs').then(({ main }) => main(process.argv.slice(2))).catch((error) => {
  console.error(`renubu: ${error.message}`);
  process.exit(1);
});
