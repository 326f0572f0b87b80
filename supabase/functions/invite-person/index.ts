// POST /functions/v1/invite-person — wiring only; the logic is functions-shared/admin/invite.ts.
import { handleInvitePerson, invitePersonDepsFromEnv } from '../../../functions-shared/admin/invite.ts';

const deps = invitePersonDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleInvitePerson(req, deps));
