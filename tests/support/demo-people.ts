// The seeded demo people (supabase/seed.sql), shared by integration tests and the README.
// Every demo account uses the same password; it exists only in local and test stacks.
export const DEMO_PASSWORD = 'renubu-demo-password';

export const DEMO_PEOPLE = {
  // Acme Cloud: the main demo organisation.
  admin: 'ada.admin@acme.test',
  manager: 'maria.manager@acme.test',
  csm: 'sam.csm@acme.test', // senior CSM, owns most of the demo book
  juniorCsm: 'casey.csm@acme.test',
  viewer: 'victor.viewer@acme.test',
  accountExecutive: 'alex.ae@acme.test',
  supportEngineer: 'sasha.support@acme.test',
  // Globex Analytics: a second organisation, so isolation is visible.
  otherAdmin: 'gina.admin@globex.test',
  otherCsm: 'gus.csm@globex.test',
} as const;

export type DemoPerson = keyof typeof DEMO_PEOPLE;
