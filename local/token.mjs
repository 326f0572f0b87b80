// @ts-check
// `renubu token --email <email> [--hours N]`: prints an access token for that person on the
// local stack, signed like Auth's own (HS256, the stack's JWT secret, role authenticated),
// so an MCP client or a script can act as them without a password (docs/agents.md). Local
// only: it needs the database and the secret, which a hosted project never exposes.
import { withClient, waitForDatabase } from './db/database.mjs';
import { requireRunning } from './db/cluster.mjs';
import { signJwt } from './gateway/jwt.mjs';
import { readArgs, UsageError, wholeNumber } from './cli-flags.mjs';

/** The flags `renubu token` takes (its help line in local/renubu.mjs names each). */
export const FLAGS = ['--email', '--hours'];

/**
 * Whose token, and for how long: a mistake is a UsageError, before the database is asked.
 * @param {string[]} argv
 */
export function tokenOptions(argv) {
  const { flags } = readArgs(argv, { verb: 'renubu token', valued: FLAGS });
  const email = flags['--email']?.trim().toLowerCase();
  if (!email) throw new UsageError('renubu token needs --email <email>: the person the token acts as.');
  const hours = flags['--hours'] === undefined ? 1 : wholeNumber('--hours', flags['--hours'], { min: 1, max: 24, of: 'hours' });
  return { email, hours };
}

/**
 * @param {import('./config.mjs').StackConfig} cfg
 * @param {string[]} argv
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function tokenCommand(cfg, argv, { log = console.log } = {}) {
  const { email, hours } = tokenOptions(argv);
  requireRunning(cfg);
  await waitForDatabase(cfg.dbUrl);
  const user = await withClient(cfg.dbUrl, async (client) => {
    const { rows } = await client.query(
      `select u.id, u.email, u.aud, u.role, u.raw_app_meta_data as app_metadata, u.raw_user_meta_data as user_metadata,
              u.banned_until
         from auth.users u where lower(u.email) = $1`, [email]);
    return rows[0];
  });
  if (!user) throw new Error(`No account has the email ${email}.`);
  if (user.banned_until && new Date(user.banned_until) > new Date()) throw new Error(`${email} is deactivated.`);
  const iat = Math.floor(Date.now() / 1000);
  const token = await signJwt({
    iss: `${cfg.apiUrl ?? 'http://localhost:54321'}/auth/v1`,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    role: user.role ?? 'authenticated',
    email: user.email,
    app_metadata: user.app_metadata ?? {},
    user_metadata: user.user_metadata ?? {},
    iat,
    exp: iat + hours * 3600,
    aal: 'aal1',
    amr: [{ method: 'token', timestamp: iat }],
    is_anonymous: false,
  }, cfg.jwtSecret);
  log(token);
  return token;
}
