// CPU time of processes, read from Linux /proc: what one request costs in the load generator,
// a server and the database's backends. On a shared two-core box, latencies under concurrency
// follow from these costs (calls queue for the cores), so the benchmarks print them beside
// the latencies.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** utime + stime of each of these processes, in ms (empty off Linux). @param {number[]} pids */
export function cpuMs(pids) {
  /** @type {Map<number, number>} */
  const ms = new Map();
  for (const pid of pids) {
    try {
      const afterName = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1];
      if (afterName === undefined) continue; // not a stat line (as if gone)
      const fields = afterName.split(' ');
      ms.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // USER_HZ = 100 on Linux
    } catch { /* gone */ }
  }
  return ms;
}

/** CPU ms the processes of `after` spent since `before` (a process that ended is not counted). */
export function cpuSince(/** @type {Map<number, number>} */ before, /** @type {Map<number, number>} */ after) {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** The cluster's Postgres processes: the postmaster's children (backends and workers). @param {string} pgDataDir */
export function postgresPids(pgDataDir) {
  const pidFile = `${pgDataDir}/postmaster.pid`;
  if (!existsSync(pidFile) || !existsSync('/proc')) return [];
  const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0];
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === postmaster) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}
