// The memory and WAL settings cluster.mjs gives a new local cluster at initdb.
import os from 'node:os';

/**
 * Memory and WAL settings sized for the machine, as a production server would have them
 * (docs/performance.md "The cluster sized for the machine"): a quarter of the memory for
 * shared buffers (PostgreSQL's own starting point), between 128 MB and 8 GB. At 1 GB a
 * 300k organisation's executions and their indexes did not fit, so a bulk run read and
 * wrote back evicted pages through the kernel (~23 % of its CPU), and checkpoints every
 * 5 minutes turned every index page it touched after one into a full-page image (6.8 GB
 * of WAL for a rebuild). Compressed page images, checkpoints at most every 15 minutes and
 * 64 MB of WAL buffers cut that WAL to 2.8 GB.
 * @param {number} [totalMemoryBytes]
 */
export function serverSizing(totalMemoryBytes = usableMemory()) {
  const mb = Math.min(8192, Math.max(128, Math.floor(totalMemoryBytes / 4 / 1024 / 1024)));
  return [
    `shared_buffers = '${mb}MB'`,
    `wal_buffers = '64MB'`,
    `wal_compression = 'lz4'`,
    `checkpoint_timeout = '15min'`,
    `max_wal_size = '8GB'`,
  ];
}

/** The machine's memory, or the container's limit when that is lower (os.totalmem() is the
 * host's inside a container; a cluster sized for the host would be killed when it used it). */
export function usableMemory() {
  const limit = process.constrainedMemory?.() ?? 0; // 0 or a huge number when unlimited
  return limit > 0 ? Math.min(limit, os.totalmem()) : os.totalmem();
}
