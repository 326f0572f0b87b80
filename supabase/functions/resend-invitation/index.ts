// POST /functions/v1/resend-invitation — wiring only; the logic is functions-shared/admin/resend-invitation.ts.
import { invitePersonDepsFromEnv } from '../../../functions-shared/admin/invite.ts';
import { handleResendInvitation } from '../../../functions-shared/admin/resend-invitation.ts';

const deps = invitePersonDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleResendInvitation(req, deps));
