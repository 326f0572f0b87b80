// The `resend-invitation` Edge Function: an admin sends a pending invitation again (Admin →
// People, "Resend"; docs/admin.md "Revoking or resending an invitation").
//
//   1. the caller's JWT → get_my_profile (RLS): only an admin goes on;
//   2. record_invitation_resend (service role only) stores the resend first — counted (at most
//      3 in 24 hours, else 409), audited, and for an invitation that made nobody the mail to its
//      address's owner written again — so nothing is mailed that is not on record;
//   3. then the mail: a sent invitation is invited again through the Auth admin API
//      (inviteUserByEmail on the user it made: a new link, which voids the old one, in the
//      same words as the first: invitationMailData); one that made nobody is the stored notice,
//      through the function's mail transport (sendInvitationNotice).
// The answer is the same for both, 200 {invitation}: an admin never learns from it whether an
// address has an account elsewhere. Auth failing on a sent one is 502 (429 when it is out of
// mail for now), as invite-person says it. A resend whose mail failed (Auth's, or the notice's,
// which is still answered 200) is given back to the allowance (record_failed_invitation_resend):
// it stays on record, and an outage never uses up the admin's three resends a day.
import { answer, HttpError, jsonResponse, parseJsonBody } from '../http.ts';
import { ResendInvitationBody } from '../api/functions.ts';
import { rpc } from '../api/rpc.ts';
import type { RpcResult } from '../api/index.ts';
import { callerProfile } from '../caller-profile.ts';
import { authInviteFailed, invitationMailData, redirectFor, sendInvitationNotice, type InvitePersonDeps } from './invite.ts';

/** The same services invite-person uses: the caller's client, the service role, the link's site and the mail. */
export type ResendInvitationDeps = InvitePersonDeps;

type Inviter = RpcResult<'get_my_profile'>;
type PendingInvitation = RpcResult<'record_invitation_resend'>['invitation'];

/** Auth's invitation again, to the user a sent invitation made: a new link in the first one's words. */
async function inviteAgain(req: Request, deps: ResendInvitationDeps, invitation: PendingInvitation, inviter: Inviter): Promise<void> {
  const { error } = await deps.service.auth.admin.inviteUserByEmail(invitation.email, {
    data: invitationMailData(invitation.full_name, inviter),
    redirectTo: redirectFor(req, deps.siteUrl),
  });
  if (error) throw authInviteFailed('resend-invitation', error, 'The invitation could not be sent again. Please try again.');
}

export function handleResendInvitation(req: Request, deps: ResendInvitationDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Send an invitation again with POST.');
    const caller = deps.caller(req);
    const body = await parseJsonBody(req, ResendInvitationBody);

    const profile = await callerProfile(caller, 'Sign in as an admin to send an invitation again.');
    if (profile.role !== 'admin') throw new HttpError(403, '42501', 'Only admins can send an invitation again.');

    // Stored first: refused here (not pending, too often), nothing is mailed.
    const resent = { actor_id: profile.id, invitation_id: body.invitation_id };
    const recorded = await rpc(deps.service, 'record_invitation_resend', resent);
    if (recorded.notice) {
      if (!(await sendInvitationNotice(deps, recorded.notice))) await giveBack(deps, resent);
    } else {
      await inviteAgain(req, deps, recorded.invitation, profile).catch(async (failed) => {
        await giveBack(deps, resent);
        throw failed;
      });
    }
    return jsonResponse({ invitation: recorded.invitation }, 200);
  });
}

/** A resend whose mail failed uses up none of the allowance; if even that fails, it stays counted (the safe side). */
async function giveBack(deps: ResendInvitationDeps, resent: { actor_id: string; invitation_id: string }): Promise<void> {
  await rpc(deps.service, 'record_failed_invitation_resend', resent)
    .catch((error: Error) => console.error('resend-invitation: a failed resend could not be given back', error.message));
}
