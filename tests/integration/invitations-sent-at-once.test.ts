// One invitation sent several times at once (Send invitation pressed twice, two admins
// inviting one address, a retry while the first is in flight) makes one person, and the
// person answered 201 stays a person who can sign in. Before (migration 20261209400000):
// the requests all got the same user from Auth and all wrote the profile; the second met
// the primary key and answered 409 with Postgres' words ('duplicate key value violates
// unique constraint "profiles_pkey"', 'Key (id)=(…) already exists'), then deleted the user
// from Auth as one it had made, and with it the person the first had answered 201 for.
// Under one key, the later requests answered 409 "already belongs" instead of the person.
// And (migration 20261210202000) a request whose Auth call failed because another request was
// making the same address at that moment answered 502 "The invitation could not be sent.
// Please try again.", a failure of ours, for a conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, signedInAs, stack, withDb } from '../support/stack.ts';

let adminToken: string;
const run = `at-once-${Date.now().toString(36)}`;
const address = (name: string) => `${run}-${name}@acme.test`;

interface Answer { status: number; text: string; body: { person?: { id: string }; replayed?: boolean; error?: { code: string; message: string } } }

async function invite(body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${stack.url}/functions/v1/invite-person`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', origin: 'http://127.0.0.1:3000' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
}

/** Who holds this address now: the profile's id and whether Auth still has that user. */
const holders = (email: string) => withDb(async (db) => (await db.query<{ id: string; has_user: boolean }>(
  `select p.id, exists (select 1 from auth.users u where u.id = p.id) as has_user from app.profiles p where p.email = $1`, [email])).rows);
const authUsers = (email: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from auth.users where email = $1', [email])).rows[0]!.n);

const inviting = (name: string, extra: Record<string, unknown> = {}) =>
  ({ email: address(name), full_name: `At Once ${name}`, role: 'viewer', ...extra });

/**
 * The address invited in Auth already, with no person yet (as an invitation whose profile was
 * never written leaves it): Auth invites that user again for every request, so all of them
 * reach the database with one user at once, and only the database decides.
 */
async function invitedInAuthOnly(name: string) {
  const { error } = await serviceClient().auth.admin.inviteUserByEmail(address(name));
  if (error) throw new Error(`invite in Auth: ${error.message}`);
}

beforeAll(async () => {
  adminToken = (await (await signedInAs('admin')).auth.getSession()).data.session!.access_token;
});

afterAll(async () => {
  await withDb((db) => db.query(`delete from auth.users where email like $1`, [`${run}-%`]));
});

/** No answer carries the database's words for a constraint. */
function expectHouseWords(answers: Answer[]) {
  for (const answer of answers) expect(answer.text).not.toMatch(/duplicate key|constraint|Key \(/);
}

describe('one invitation sent several times at once', () => {
  it('without a key: one person made, answered 201, who stays; the others are 409 in house words', async () => {
    await invitedInAuthOnly('plain');
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => invite(inviting('plain'))));
    expectHouseWords(answers);
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    // (Refused by the database's check before Auth, or by the profile made meanwhile: the same words.)
    for (const other of answers.filter((a) => a.status !== 201)) {
      expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 409, code: 'PT409' });
      expect(other.body.error?.message).toMatch(/^That person already belongs to an organisation\.?$/);
    }
    expect(await holders(address('plain'))).toEqual([{ id: made[0]!.body.person!.id, has_user: true }]);
  });

  it('under one key: one person made; the others answer that person, replayed', async () => {
    await invitedInAuthOnly('keyed');
    const key = `${run}-key`;
    const answers = await Promise.all([1, 2, 3, 4].map(() => invite(inviting('keyed', { idempotency_key: key }))));
    expectHouseWords(answers);
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    const personId = made[0]!.body.person!.id;
    for (const other of answers.filter((a) => a.status !== 201)) {
      expect({ status: other.status, person: other.body.person?.id, replayed: other.body.replayed })
        .toEqual({ status: 200, person: personId, replayed: true });
    }
    expect(await holders(address('keyed'))).toEqual([{ id: personId, has_user: true }]);
  });

  it('without a user in Auth yet: one person made, who stays; the others 409 in house words, never 502', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => invite(inviting('fresh'))));
    expectHouseWords(answers);
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    // The others: that person exists already, or (Auth failing on the address another request
    // was making at that moment) it is being invited: both a conflict, 409, never 502 "could not
    // be sent. Please try again" (migration 20261210202000), which a retry would only meet as 409.
    for (const other of answers.filter((a) => a.status !== 201)) {
      expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 409, code: 'PT409' });
      expect(other.body.error?.message).toMatch(/^(That person already belongs to an organisation|That address is being invited by another request at this moment)\.?$/);
    }
    expect(await holders(address('fresh'))).toEqual([{ id: made[0]!.body.person!.id, has_user: true }]);
    expect(await authUsers(address('fresh'))).toBe(1);
  });

  it('under one key, without a user in Auth yet: one person made; the others answer that person or that it is under way, never 502', async () => {
    const key = `${run}-fresh-key`;
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => invite(inviting('fresh-keyed', { idempotency_key: key }))));
    expectHouseWords(answers);
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    const personId = made[0]!.body.person!.id;
    // Each other one: the person made under the key (replayed), or, asked while the first was
    // between Auth and the profile, 409 saying it is under way, to send again.
    for (const other of answers.filter((a) => a.status !== 201)) {
      const seen = other.status === 200
        ? { status: 200, person: other.body.person?.id, replayed: other.body.replayed }
        : { status: other.status, code: other.body.error?.code, message: other.body.error?.message };
      expect([{ status: 200, person: personId, replayed: true },
        { status: 409, code: 'PT409', message: 'That address is being invited by another request at this moment.' }]).toContainEqual(seen);
    }
    expect(await holders(address('fresh-keyed'))).toEqual([{ id: personId, has_user: true }]);
    // Sent again once the first has answered: that person, replayed.
    const again = await invite(inviting('fresh-keyed', { idempotency_key: key }));
    expect({ status: again.status, person: again.body.person?.id, replayed: again.body.replayed }).toEqual({ status: 200, person: personId, replayed: true });
  });

  it('one key, three addresses at once: one person; the others are PT409 for the key and leave no user behind', async () => {
    const key = `${run}-shared`;
    const names = ['first', 'second', 'third'];
    const answers = await Promise.all(names.map((name) => invite(inviting(name, { idempotency_key: key }))));
    expectHouseWords(answers);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const [index, answer] of answers.entries()) {
      if (answer.status === 201) {
        expect(await holders(address(names[index]!))).toEqual([{ id: answer.body.person!.id, has_user: true }]);
        continue;
      }
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'PT409', message: 'this key was used for a different request' });
      expect(await holders(address(names[index]!))).toEqual([]);
      expect(await authUsers(address(names[index]!))).toBe(0);
    }
  });
});
