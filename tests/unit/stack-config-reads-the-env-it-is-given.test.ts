// stackConfig(env) builds every port and URL from the env it is given, not from the
// process's: a second stack (the reliability runs' StackProcess) describes itself with its
// own ports. Before, the ports came from process.env whatever env was passed, so its
// mail URL and socket folder named the first stack's.
import { describe, expect, it } from 'vitest';

/** The part of local/config.mjs's stackConfig this test reads. */
type StackConfigOf = (env: Record<string, string>) => {
  apiPort: number; dbPort: number; webPort: number; mailPort: number;
  apiUrl: string; mailUrl: string; dbUrl: string; socketDir: string;
};
const configModule: string = '../../local/config.mjs';
const { stackConfig } = (await import(/* @vite-ignore */ configModule)) as { stackConfig: StackConfigOf };

describe('stackConfig', () => {
  it('reads the ports and the data folder from the env it is given', () => {
    const cfg = stackConfig({ RENUBU_API_PORT: '61001', RENUBU_DB_PORT: '61002', RENUBU_WEB_PORT: '61003', RENUBU_MAIL_PORT: '61004', RENUBU_DATA_DIR: '/tmp/another-stack' });
    expect([cfg.apiPort, cfg.dbPort, cfg.webPort, cfg.mailPort]).toEqual([61001, 61002, 61003, 61004]);
    expect(cfg.apiUrl).toBe('http://127.0.0.1:61001');
    expect(cfg.mailUrl).toBe('http://127.0.0.1:61004');
    expect(cfg.dbUrl).toBe('postgresql://postgres:postgres@127.0.0.1:61002/postgres');
    expect(cfg.socketDir).toBe('/tmp/another-stack/socket');
  });

  it('falls back to the defaults when the env names no port', () => {
    const cfg = stackConfig({ RENUBU_DATA_DIR: '/tmp/another-stack' });
    expect([cfg.apiPort, cfg.dbPort, cfg.webPort, cfg.mailPort]).toEqual([54321, 54322, 3000, 54324]);
  });
});
