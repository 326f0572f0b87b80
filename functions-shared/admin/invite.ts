// The `invite-person` Edge Function: an admin adds a person to their organisation.
//
//   1. the caller's JWT → get_my_profile (RLS): only an admin goes on;
//   2. check_invited_person (service role only): the database refuses an invitation it would
//      refuse in step 4 (role, manager, name, email) before anything is created or mailed;
//   3. the Auth admin API, with the service role: auth.admin.inviteUserByEmail creates the
//      user and mails the invite link (GoTrue's mailer on hosted, the local mail catcher on
//      the local stack); the link lands on the web app's /set-password page, and the mail
//      says who invited them to which organisation (invitationMailData);
//   4. create_invited_person (service role only) adds the profile to the admin's
//      organisation and audits it; the database checks the invitation again.
// If step 4 fails for a user step 3 has just created (something changed in between), that
// user is deleted again, so a retry starts clean; never one who is a person already (the same
// address invited by a request sent at the same time: PT409 person_exists), whose invitation
// went through.
// With an idempotency_key, step 2 first looks for the invitation made under it (an answer lost
// on its way back, Send invitation pressed again): the same invitation answers the person it
// made (200, replayed) and nothing is created or mailed; another one under the key is PT409.
// If step 3 fails on an address Auth did not hold at step 2 and holds now, a request sent at
// the same time is making it: 409 (or that request's person, replayed), never 502.
// An address whose account this organisation cannot take (a person of another organisation, a
// signed-up account of nobody's) is kept as an invitation sent is (create_unsent_invitation: the
// invitation's row, listed by People, its audit entry, its key) and answered as one, 201 with the
// person, while Auth is not asked: its owner is mailed instead, through the function's mail
// transport, that the address has an account already and another must be invited. An admin
// cannot learn through an invitation whether an address has an account elsewhere (docs/admin.md
// "Inviting someone").
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, callerClient, envFrom, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { InvitePersonBody } from '../api/functions.ts';
import { rpc } from '../api/rpc.ts';
import type { RpcArgs } from '../api/index.ts';
import { callerProfile } from '../caller-profile.ts';
import { mailSenderFromEnv, type MailTransport } from '../actions/mail.ts';
import { mailTransportFromEnv } from '../actions/transport.ts';

export interface InvitePersonDeps {
  /** A client acting as the caller (their JWT), so RLS decides what they may read. */
  caller(req: Request): SupabaseClient;
  /** The service role: the Auth admin API and the service-only RPC. */
  service: SupabaseClient;
  /** The web app's address for the invite link; else the request's Origin; else Auth's site URL. */
  siteUrl?: string;
  /** Mails the owner of an address that cannot be invited (send_email's transport), and its sender. */
  mail: MailTransport;
  mailFrom: string;
}

export function invitePersonDepsFromEnv(source: Record<string, string | undefined>): InvitePersonDeps {
  const env: FunctionEnv = envFrom(source);
  return { caller: (req) => callerClient(req, env), service: serviceClient(env), siteUrl: env.RENUBU_SITE_URL,
           mail: mailTransportFromEnv(source), mailFrom: mailSenderFromEnv(source) };
}


/**
 * Auth's admin API failing to send an invitation (not refusing the address), for invite-person
 * and resend-invitation alike: its own words stay in the log, as an answer never carries a
 * provider's message; the answer is 429 when Auth is out of mail for now, else 502 in `failed`.
 */
export function authInviteFailed(fn: string, error: { status?: number; code?: string } | null | undefined, failed: string): HttpError {
  console.error(`${fn}: the Auth admin API failed`, error?.status, error?.code);
  if (error?.status === 429) return new HttpError(429, 'rate_limited', 'Too many invitations at once; try again in a minute.');
  return new HttpError(502, 'auth_unavailable', failed);
}

/** create_invited_person's detail when the user it was given is a person already: that user is never removed. */
const PERSON_EXISTS = 'person_exists';

/** Where the invite link lands: the web app's /set-password (invite-person and resend-invitation alike). */
export function redirectFor(req: Request, siteUrl: string | undefined): string | undefined {
  const base = siteUrl ?? req.headers.get('origin') ?? undefined;
  if (!base || !URL.canParse(base)) return undefined;
  return new URL('/set-password', base).toString();
}

type Invitation = Omit<RpcArgs<'create_unsent_invitation'>, 'idempotency_key'>;

/**
 * An invitation that cannot be sent (the address's account is not this organisation's to take,
 * nor to say): kept as a sent one is, answered as one (201, or the person made under the key,
 * 200 replayed), and its address's owner told by mail to have another address invited
 * (sendInvitationNotice).
 */
async function keepUnsentInvitation(deps: InvitePersonDeps, invitation: Invitation, key: string | null): Promise<Response> {
  const kept = await rpc(deps.service, 'create_unsent_invitation', { ...invitation, idempotency_key: key });
  if (kept.replayed) return jsonResponse({ person: kept.person, replayed: true }, 200);
  if (kept.notice) await sendInvitationNotice(deps, kept.notice);
  return jsonResponse({ person: kept.person }, 201);
}

/**
 * Mails the owner of an address that cannot be invited the notice the database stored for it.
 * A mail that fails is logged, never said: the answer must not differ from a sent invitation's.
 * Whether it went out is returned, for the caller's own record (resend-invitation's allowance).
 */
export async function sendInvitationNotice(deps: Pick<InvitePersonDeps, 'mail' | 'mailFrom'>,
                                           notice: { to: string; subject: string; text: string }): Promise<boolean> {
  return deps.mail.send({ from: deps.mailFrom, to: [notice.to], subject: notice.subject, text: notice.text })
    .then(() => true, (error) => {
      console.error('invitation: the notice to an address with an account elsewhere failed', String(error));
      return false;
    });
}

/**
 * The invited user's metadata: their name, and who invited them to which organisation, which
 * Auth's invite template says as {{ .Data.invited_by_name }} and {{ .Data.organisation_name }}
 * (supabase/config.toml's [auth.email.template.invite]; the local stand-in renders the same).
 */
export function invitationMailData(fullName: string, inviter: { full_name: string; org_name: string }) {
  return { full_name: fullName, invited_by_name: inviter.full_name, organisation_name: inviter.org_name };
}

export function handleInvitePerson(req: Request, deps: InvitePersonDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Invite people with POST.');
    const caller = deps.caller(req);
    const body = await parseJsonBody(req, InvitePersonBody);

    const profile = await callerProfile(caller, 'Sign in as an admin to invite people.');
    if (profile.role !== 'admin') throw new HttpError(403, '42501', 'Only admins can invite people.');

    const invitation = {
      actor_id: profile.id,
      email: body.email,
      full_name: body.full_name,
      role: body.role,
      manager_id: body.manager_id ?? null,
      title: body.title ?? null,
      experience_level: body.experience_level ?? null,
    };
    const key = body.idempotency_key ?? null;
    // Checked before the mail: a refused invitation sends nothing, one made under this key already is answered again.
    const check = () => rpc(deps.service, 'check_invited_person', { ...invitation, idempotency_key: key });
    const checked = await check();
    if (checked?.person) return jsonResponse({ person: checked.person, replayed: true }, 200);
    if (checked?.as_invited) return keepUnsentInvitation(deps, invitation, key);

    const startedAt = Date.now();
    const { data: invited, error: inviteError } = await deps.service.auth.admin.inviteUserByEmail(body.email, {
      data: invitationMailData(body.full_name, profile),
      redirectTo: redirectFor(req, deps.siteUrl),
    });
    if (inviteError || !invited.user) {
      // The same invitation sent at the same time: the first made the user (Auth answers the
      // others email_exists, or fails on the address it is making). Asked again, the database
      // says what that request has made by now: the person (PT409 "already belongs", thrown),
      // under this key that person (replayed), or a user Auth did not hold before: a conflict
      // with a request still under way, never Auth being down (502).
      const again = await check();
      if (again.person) return jsonResponse({ person: again.person, replayed: true }, 200);
      if (again.as_invited) return keepUnsentInvitation(deps, invitation, key);
      if (again.has_account && !checked.has_account) {
        throw new HttpError(409, 'PT409', 'That address is being invited by another request at this moment.',
          key ? 'Send it again in a moment: under the same key it answers the person that request made.'
            : 'Look for the person in the list of people in a moment; the invitation sent stays valid.');
      }
      if (inviteError?.code === 'email_exists') {
        throw new HttpError(409, 'PT409', 'That email address already has an account.', 'Look for the person in the list, or use another address.');
      }
      if (inviteError?.status === 400 || inviteError?.status === 422) {
        // Auth's own words stay in the log: an answer never carries a provider's message.
        console.error('invite-person: the Auth admin API refused the address', inviteError.status, inviteError.code);
        throw new HttpError(422, 'invalid_body', 'That email address cannot be invited.', 'Check the address for a typo, or use another one.');
      }
      throw authInviteFailed('invite-person', inviteError, 'The invitation could not be sent. Please try again.');
    }
    const user = invited.user;

    let person;
    try {
      person = await rpc(deps.service, 'create_invited_person', { ...invitation, user_id: user.id, idempotency_key: key });
    } catch (refused) {
      if (!(refused instanceof HttpError)) throw refused;
      // A user made for this request alone goes again, so a retry starts clean; one who is a
      // person already (made by the same invitation sent at the same time) stays.
      const userIsAPerson = refused.code === 'PT409' && refused.details === PERSON_EXISTS;
      const createdNow = Date.parse(user.created_at) >= startedAt - 5_000 && !user.email_confirmed_at;
      if (createdNow && !userIsAPerson) await deps.service.auth.admin.deleteUser(user.id).catch(() => undefined);
      // Sent twice at once under this key: the first made the person, this one answers it.
      const made = key && refused.code === 'PT409' ? (await check()).person : null;
      if (made) return jsonResponse({ person: made, replayed: true }, 200);
      // The same invitation made the person meanwhile: the database's answer for the address as
      // it is now (the refusal of one of this organisation, thrown by the check with its hint, or
      // as invited for another organisation's), what the invitation sent again is told.
      if (userIsAPerson) {
        const now = await check();
        if (now.as_invited) return keepUnsentInvitation(deps, invitation, key);
      }
      throw refused;
    }
    return jsonResponse({ person }, 201);
  });
}
