// The Debian packages the local stack needs. Installed with apt-get when missing and we are
// root; otherwise we stop with the exact command a person should run.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isRoot } from './config.mjs';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const EXT = '/usr/share/postgresql/15/extension';

const REQUIRED = [
  { pkg: 'postgresql-15', present: () => existsSync(`${PG_BIN}/postgres`) },
  { pkg: 'postgresql-15-pgtap', present: () => existsSync(`${EXT}/pgtap.control`) },
  { pkg: 'postgresql-15-cron', present: () => existsSync(`${EXT}/pg_cron.control`) },
  { pkg: 'postgresql-15-plpgsql-check', present: () => existsSync(`${EXT}/plpgsql_check.control`) },
  { pkg: 'libtap-parser-sourcehandler-pgtap-perl', present: () => existsSync('/usr/bin/pg_prove') },
];

// The browser tests drive Debian's Chromium (npm test only; `npm start` does not need it).
const BROWSER = { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') };

export function missingPackages({ withBrowser = false } = {}) {
  return [...REQUIRED, ...(withBrowser ? [BROWSER] : [])].filter((r) => !r.present()).map((r) => r.pkg);
}

export function ensureSystemPackages({ log = console.log, withBrowser = false } = {}) {
  const missing = missingPackages({ withBrowser });
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Renubu's local stack needs these Debian packages: ${missing.join(', ')}.\n` +
        `Install them with:\n  sudo apt-get update && sudo ${command}\nthen run the command again.`,
    );
  }
  log(`Installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  } catch {
    // A fresh machine often has an empty package index: refresh it once and retry.
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  }
  const still = missingPackages({ withBrowser });
  if (still.length) throw new Error(`apt-get finished but these are still missing: ${still.join(', ')}`);
}
