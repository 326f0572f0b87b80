// Types for the part of cluster.mjs the tests import.

/** The memory and WAL settings a new cluster gets, as postgresql.conf lines. */
export function serverSizing(totalMemoryBytes?: number): string[];
