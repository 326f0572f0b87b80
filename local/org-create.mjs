// `renubu org create --name <name> --admin-email <email> [--admin-name <name>] [--slug <slug>]
// [--time-zone <tz>]`: a new organisation and its first admin on the local stack, so a team
// can start without the demo seed. The person is created in Auth with a generated
// password (printed once), then `public.create_organisation` — the same service-role RPC a
// hosted project calls after the Auth admin API has created the user (docs/deploy.md) —
// makes the organisation and their admin profile, in one transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import { withClient, waitForDatabase } from './db/database.mjs';
import { requireRunning } from './db/cluster.mjs';
import { readArgs, refusedArgument, shown, UsageError } from './cli-flags.mjs';

/** The flags `renubu org create` takes (its help line in local/renubu.mjs names each). */
export const FLAGS = ['--name', '--admin-email', '--admin-name', '--slug', '--time-zone'];

/**
 * create_organisation's refusal of a slug another organisation has (PT409); the function
 * keeps the rule, the command says it with the flag that gets past it.
 * @param {unknown} error
 */
const isSlugTaken = (error) => {
  const { code, message = '' } = /** @type {{ code?: string, message?: string }} */ (error);
  return code === 'PT409' && message.startsWith('An organisation with the slug ');
};

/**
 * @param {string | undefined} slugGiven @param {string} name @param {unknown} error
 */
function slugTaken(slugGiven, name, error) {
  if (slugGiven !== undefined) return `--slug ${shown(slugGiven)} is another organisation's: give this one its own.`;
  const slug = /the slug (\S+) already exists/.exec(/** @type {Error} */ (error).message)?.[1] ?? '';
  return `The slug ${slug}, made from --name ${JSON.stringify(name)}, is another organisation's: give this one its own with --slug.`;
}

/**
 * The `renubu org create` verb.
 * @param {import('./config.mjs').StackConfig} cfg
 * @param {string[]} argv
 */
export async function orgCreateCommand(cfg, argv, { log = console.log } = {}) {
  const { flags: f } = readArgs(argv, { verb: 'renubu org create', valued: FLAGS });
  if (f['--name'] === undefined) throw new UsageError('renubu org create needs --name: the organisation\'s name.');
  if (f['--admin-email'] === undefined) throw new UsageError('renubu org create needs --admin-email: its first admin\'s email.');
  const email = (f['--admin-email'] ?? '').trim().toLowerCase();
  const fullName = f['--admin-name'] ?? email.split('@')[0] ?? '';
  const password = randomBytes(12).toString('base64url');
  const userId = randomUUID();
  requireRunning(cfg);
  await waitForDatabase(cfg.dbUrl);
  const created = await withClient(cfg.dbUrl, async (client) => {
    await client.query('begin');
    try {
      const { rows: existing } = await client.query('select 1 from auth.users where lower(email) = $1', [email]);
      if (existing.length) throw new Error(`${email} already has an account.`);
      await client.query(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                                 confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
                 extensions.crypt($3, extensions.gen_salt('bf', 10)), now(),
                 '{"provider": "email", "providers": ["email"]}', jsonb_build_object('full_name', $4::text),
                 now(), now(), '', '', '', '')`,
        [userId, email, password, fullName],
      );
      await client.query(
        `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
         values ($1::text, $1::uuid, jsonb_build_object('sub', $1::text, 'email', $2::text, 'email_verified', true), 'email', now(), now(), now())`,
        [userId, email],
      );
      // As the service role, exactly as a hosted operator's script would call it.
      await client.query('set local role service_role');
      const { rows } = await client.query(
        'select public.create_organisation($1, $2, $3, $4, $5, $6) as created',
        [f['--name'], userId, fullName, email, f['--slug'] ?? null, f['--time-zone'] ?? 'UTC'],
      );
      await client.query('commit');
      return rows[0].created;
    } catch (error) {
      await client.query('rollback');
      if (isSlugTaken(error)) throw new Error(slugTaken(f['--slug'], f['--name'] ?? '', error));
      // create_organisation keeps the rules (an address, a known time zone, a slug's shape).
      throw refusedArgument(error, {
        name: { flag: '--name', value: f['--name'] ?? '' },
        admin_email: { flag: '--admin-email', value: email },
        admin_full_name: { flag: '--admin-name', value: fullName },
        slug: { flag: '--slug', value: f['--slug'] ?? '' },
        time_zone: { flag: '--time-zone', value: f['--time-zone'] ?? '' },
      });
    }
  });
  log(`Created organisation "${f['--name']}" (${created.slug}, id ${created.organisation_id}).`);
  log(`Its admin can sign in at ${cfg.webUrl}:`);
  log(`  email     ${email}`);
  log(`  password  ${password}   (shown once: keep it somewhere safe)`);
  return { ...created, email, password };
}
