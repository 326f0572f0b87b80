// Types of server-sizing.mjs for the TypeScript tests.

/** The memory and WAL settings a new cluster gets, as postgresql.conf lines. */
export function serverSizing(totalMemoryBytes?: number): string[];

/** The machine's memory in bytes, or the container's limit when that is lower. */
export function usableMemory(): number;
