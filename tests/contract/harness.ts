// The contract suite's own stack: a throwaway database on the running cluster (bootstrap +
// test-only SQL from fixtures/), and a gateway on a free port serving the fixture functions.
// Each test file calls useContractStack() once; nothing here touches the product schema.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort } from '../../local/free-port.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fixtures = path.join(here, 'fixtures');

// The local/ modules are plain JS without declarations; a computed specifier keeps tsc from
// resolving them, and these interfaces say what the suite relies on.
interface Gateway {
  listen(): Promise<void>;
  close(): Promise<void>;
  url(): string;
  mailbox: { list(): CaughtMail[] };
}
/** A mail the Auth stand-in delivered to the local mail catcher (local/mail-catcher.mjs). */
export interface CaughtMail {
  ID: string;
  To: { Address: string }[];
  Subject: string;
  Text: string;
  Links: string[];
}
interface GatewayModule {
  createGateway(options: {
    config: StackConfig;
    functionsDir: string;
    configTomlPath: string;
    log?: (line: string) => void;
    authRateLimits?: AuthRateLimits;
  }): Gateway;
}
export interface AuthRateLimits {
  sign_in_sign_ups: number;
  token_refresh: number;
  token_verifications?: number;
}
interface StackConfig {
  apiPort: number;
  dbUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
}
interface ConfigModule {
  stackConfig(): StackConfig;
  JWT_SECRET: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
  PUBLISHABLE_KEY: string;
  SECRET_KEY: string;
}
interface DatabaseModule {
  createDatabase(adminUrl: string, name: string): Promise<string>;
  dropDatabase(adminUrl: string, name: string): Promise<void>;
  applyBootstrap(dbUrl: string): Promise<void>;
}
const load = <T>(relative: string): Promise<T> => import(/* @vite-ignore */ path.join(repoRoot, relative));
export const configModule = await load<ConfigModule>('local/config.mjs');

export const ADA = {
  id: '11111111-1111-4111-8111-111111111111',
  email: 'ada@contract.test',
  password: 'correct horse battery',
};
export const UNCONFIRMED = { email: 'unconfirmed@contract.test', password: 'correct horse battery' };

export interface ContractStack {
  url: string;
  dbUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  /** Lines the gateway logged (function output), for debugging a failure. */
  log: string[];
  /** A client as a browser makes one: legacy anon key unless told otherwise. */
  client(key?: string, headers?: Record<string, string>): SupabaseClient;
  /** A client signed in as Ada with her password. */
  signedIn(): Promise<SupabaseClient>;
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Auth mail delivered to the local mail catcher, newest first, optionally to one address. */
  mails(to?: string): CaughtMail[];
}

class NoWebSocket {
  constructor() {
    throw new Error('realtime is not part of the local stack');
  }
}


// `npm test` exports its cluster's superuser URL; otherwise the `npm start` cluster's.
function adminUrl(): string {
  return process.env.RENUBU_CONTRACT_ADMIN_DB_URL ?? process.env.SUPABASE_DB_URL ?? configModule.stackConfig().dbUrl;
}

// The suite signs in from one address far more often than a person would; a test of the
// limiter itself passes its own small limits.
const GENEROUS_LIMITS: AuthRateLimits = { sign_in_sign_ups: 100_000, token_refresh: 100_000 };

export function useContractStack({ authRateLimits = GENEROUS_LIMITS }: { authRateLimits?: AuthRateLimits } = {}): ContractStack {
  const admin = adminUrl();
  const dbName = `renubu_contract_${randomBytes(4).toString('hex')}`;
  let gateway: Gateway | undefined;
  let created = false;
  const pool = { current: undefined as pg.Pool | undefined };

  const stack: ContractStack = {
    url: '',
    dbUrl: '',
    jwtSecret: configModule.JWT_SECRET,
    anonKey: configModule.ANON_KEY,
    serviceRoleKey: configModule.SERVICE_ROLE_KEY,
    publishableKey: configModule.PUBLISHABLE_KEY,
    secretKey: configModule.SECRET_KEY,
    log: [],
    client(key = configModule.ANON_KEY, headers = {}) {
      return createClient(stack.url, key, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: { headers },
        // Node 20 has no global WebSocket and realtime is not part of the stand-in; the
        // constructor is only called if a test subscribes to a channel.
        realtime: { transport: NoWebSocket as unknown as typeof WebSocket },
      });
    },
    async signedIn() {
      const client = stack.client();
      const { error } = await client.auth.signInWithPassword({ email: ADA.email, password: ADA.password });
      if (error) throw error;
      return client;
    },
    async sql(text, values = []) {
      if (!pool.current) throw new Error('the contract stack is not up');
      return (await pool.current.query(text, values)).rows;
    },
    mails(to) {
      const all = gateway?.mailbox.list() ?? [];
      return to ? all.filter((m) => m.To.some((t) => t.Address === to.toLowerCase())) : all;
    },
  };

  beforeAll(async () => {
    const db = await load<DatabaseModule>('local/db/database.mjs');
    const { createGateway } = await load<GatewayModule>('local/gateway/server.mjs');
    try {
      stack.dbUrl = await db.createDatabase(admin, dbName);
    } catch (error) {
      throw new Error(
        `The contract suite needs a running Postgres cluster with superuser access at ${admin} ` +
          `(run it through \`npm test\`, or with \`npm start\` up, or set RENUBU_CONTRACT_ADMIN_DB_URL): ${String(error)}`,
      );
    }
    created = true;
    await db.applyBootstrap(stack.dbUrl);
    pool.current = new pg.Pool({ connectionString: stack.dbUrl, max: 2 });
    // Dropping the database at the end terminates whatever is still connected; an idle
    // client's "terminating connection" is expected then, not a test failure.
    pool.current.on('error', () => undefined);
    await pool.current.query(readFileSync(path.join(fixtures, 'contract-functions.sql'), 'utf8'));

    const config = { ...configModule.stackConfig(), apiPort: await freePort(), dbUrl: stack.dbUrl };
    gateway = createGateway({
      config,
      functionsDir: path.join(fixtures, 'functions'),
      configTomlPath: path.join(fixtures, 'config.toml'),
      log: (line) => stack.log.push(line),
      authRateLimits,
    });
    await gateway.listen();
    stack.url = gateway.url();
  });

  afterAll(async () => {
    await gateway?.close();
    await pool.current?.end();
    if (created) await (await load<DatabaseModule>('local/db/database.mjs')).dropDatabase(admin, dbName);
  });

  return stack;
}

/** The claims of a JWT, unverified (the tests verify signatures where that is the point). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
