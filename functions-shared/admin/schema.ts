// The body of the `invite-person` Edge Function. The web app's invite form imports it too,
// so the form and the function validate with the same rules (the database checks them
// again: role and level are its enums, the manager must be one of the organisation's).
import { z } from 'zod';

export const PERSON_ROLES = ['admin', 'manager', 'csm', 'viewer'] as const;
export const EXPERIENCE_LEVELS = ['junior', 'mid', 'senior', 'expert'] as const;

export const InvitePersonBody = z.object({
  email: z
    .string({ message: 'email must be text' })
    .trim()
    .toLowerCase()
    .max(255, { message: 'email is longer than 255 characters' })
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'email must be an email address' }),
  full_name: z
    .string({ message: 'full_name must be text' })
    .trim()
    .min(1, { message: 'full_name is required' })
    .max(200, { message: 'full_name is longer than 200 characters' }),
  role: z.enum(PERSON_ROLES, { message: 'role must be one of admin, manager, csm, viewer' }),
  // z.guid(): any 8-4-4-4-12 hex id (z.uuid() would also demand an RFC variant nibble).
  manager_id: z.guid({ message: 'manager_id must be a UUID' }).nullish(),
  title: z.string({ message: 'title must be text' }).trim().max(120, { message: 'title is longer than 120 characters' }).nullish(),
  experience_level: z.enum(EXPERIENCE_LEVELS, { message: 'experience_level must be one of junior, mid, senior, expert' }).nullish(),
});
export type InvitePersonBody = z.infer<typeof InvitePersonBody>;

/** What invite-person answers: the new person as list_people shows them. */
export interface InvitedPerson {
  person: {
    id: string;
    full_name: string;
    email: string;
    role: (typeof PERSON_ROLES)[number];
    manager_id: string | null;
    status: 'invited';
  };
}
