/** A TCP port nothing listens on right now, on 127.0.0.1 (local/free-port.mjs). */
export function freePort(): Promise<number>;
