// The seeded demo people (supabase/seed.sql), shared by integration tests and the README.
// Every demo account uses the same password; it exists only in local and test stacks.
// Their one list is local/demo-people.json, which the local web server also hands to the
// sign-in page at run time, so no build of the web app carries them.
import demo from '../../local/demo-people.json';

export const DEMO_PASSWORD: string = demo.password;

export type DemoPerson = keyof typeof demo.people;

export const DEMO_PEOPLE = Object.fromEntries(
  Object.entries(demo.people).map(([person, { email }]) => [person, email]),
) as Record<DemoPerson, string>;
