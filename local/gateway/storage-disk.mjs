// @ts-check
// Where the Storage stand-in keeps object bytes: one file per object version under the
// stack's data dir, `<root>/<database>/<bucket>/<version uuid>`. The object's name never
// becomes a path on disk (names may hold `..`, spaces, anything Storage accepts), so no
// name can reach outside the folder; the database name keeps throwaway test databases on
// one cluster apart.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * @param {{ dataDir?: string, storageDir?: string, dbUrl: string }} config
 */
export function createObjectDisk(config) {
  const database = decodeURIComponent(new URL(config.dbUrl).pathname.replace(/^\//, '')) || 'postgres';
  const root = path.join(config.storageDir ?? path.join(config.dataDir ?? os.tmpdir(), 'storage'), safe(database));

  /** @param {string} bucket @param {string} version */
  const fileOf = (bucket, version) => path.join(root, safe(bucket), safe(version));

  return {
    root,
    /**
     * Writes bytes as a new version and returns its id; the database row names it.
     * @param {string} bucket @param {Uint8Array} bytes
     */
    async write(bucket, bytes) {
      const version = randomUUID();
      await mkdir(path.join(root, safe(bucket)), { recursive: true });
      await writeFile(fileOf(bucket, version), bytes);
      return version;
    },
    /** @param {string} bucket @param {string | null | undefined} version */
    async remove(bucket, version) {
      if (version) await rm(fileOf(bucket, version), { force: true });
    },
    /**
     * The bytes of a version as a stream and its size, or null when the file is gone.
     * @param {string} bucket @param {string} version
     */
    async open(bucket, version) {
      const file = fileOf(bucket, version);
      const info = await stat(file).catch(() => null);
      if (!info) return null;
      return { size: info.size, stream: () => createReadStream(file) };
    },
  };
}

/** A path segment that is only ever one segment. */
function safe(/** @type {string} */ segment) {
  return encodeURIComponent(segment).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length));
}
