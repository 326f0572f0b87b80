#!/usr/bin/env node
// `renubu`: the Docker-free stand-in for `supabase start` and friends (see `renubu --help`).
import { ensureNpmDependencies } from './ensure-npm-deps.mjs';

ensureNpmDependencies();
const { main } = await import('./renubu.mjs');
main(process.argv.slice(2)).catch((error) => {
  console.error(`renubu: ${error.message}`);
  process.exit(1);
});
