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
 * Why this person gets no token, or null when they may have one. A token is only for
 * someone who could sign in with a password now, as the gateway's password grant lets in
 * (local/gateway/auth.mjs, passwordGrant: an account not deleted, its address confirmed, not
 * banned) and who is an active person of an organisation; anyone else's token would act as
 * someone who has not joined, was taken back or was deactivated.
 * @param {string} email
 * @param {{ confirmed: boolean, invited: boolean, banned: boolean, has_profile: boolean, deactivated: boolean } | undefined} user
 * @param {import('./config.mjs').StackConfig} cfg
 */
function whyNoToken(email, user, cfg) {
  if (!user) {
    return `No account has the email ${email} (an invitation that was revoked leaves none): check the address in Admin → People.`;
  }
  if (!user.confirmed) {
    return user.invited
      ? `${email} was invited and has not joined yet, so cannot sign in: they join through the invitation's link (locally in the mail catcher, ${cfg.mailUrl}); then run this again.`
      : `${email} has not confirmed their address yet, so cannot sign in: confirm it through the link Auth mailed (locally in the mail catcher, ${cfg.mailUrl}); then run this again.`;
  }
  if (user.banned || user.deactivated) {
    return `${email} is deactivated, so cannot sign in: an admin reactivates them in Admin → People first.`;
  }
  if (!user.has_profile) {
    return `${email} has an account but belongs to no organisation, so a token would reach nothing: give the address of a person Admin → People lists.`;
  }
  return null;
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
              u.email_confirmed_at is not null as confirmed, u.invited_at is not null as invited,
              coalesce(u.banned_until > now(), false) as banned,
              p.id is not null as has_profile, p.deactivated_at is not null as deactivated
         from auth.users u left join app.profiles p on p.id = u.id
        where lower(u.email) = $1 and u.deleted_at is null and u.is_sso_user = false`, [email]);
    return rows[0];
  });
  const refusal = whyNoToken(email, user, cfg);
  if (refusal) throw new Error(refusal);
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
