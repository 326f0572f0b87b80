// @vitest-environment happy-dom
// What the person dialog offers follows the server's rules: nobody changes their own role,
// only admins change roles, a manager cannot edit an admin, nobody deactivates themselves;
// a role change that takes something away, or makes or unmakes an admin, is confirmed first.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PersonDialog } from './PersonDialog.tsx';
import { secretState, type AdminApi, type Person, type PersonChanges } from './api.ts';

afterEach(cleanup);

// Rendering calls nothing; any call would be a bug in the dialog.
const noCalls = new Proxy({}, { get: () => () => { throw new Error('no call expected'); } }) as AdminApi;

function person(overrides: Partial<Person>): Person {
  return {
    id: crypto.randomUUID(), full_name: 'Sam Senior', email: 'sam@acme.test', role: 'csm', title: null, experience_level: 'senior',
    manager_id: null, manager_name: null, active: true, deactivated_at: null, status: 'active', invited_at: null, invited_by: null,
    last_sign_in_at: null, open_workflows: 3, open_tasks: 1, customers: 0, created_at: '2026-11-01T09:00:00Z', ...overrides,
  };
}

const roleSelect = () => screen.getByLabelText('Role') as HTMLSelectElement;
const footerButtons = () => [...document.querySelectorAll('.dialog-foot button')].map((button) => button.textContent);

describe('person dialog', () => {
  it('puts Cancel before Save, as every dialog of the app does (the action that goes on last, a deactivation apart on the left)', () => {
    const sam = person({});
    render(<PersonDialog admin={noCalls} person={sam} people={[sam]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(footerButtons()).toEqual(['Deactivate…', 'Cancel', 'Save']);
    cleanup();
    const gone = person({ active: false });
    render(<PersonDialog admin={noCalls} person={gone} people={[gone]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(footerButtons()).toEqual(['Reactivate', 'Cancel', 'Save']);
  });

  it('tells a manager who opens an admin why nothing can be changed', () => {
    // Before, every field was disabled and only Cancel offered, with no reason but the role's.
    const ada = person({ full_name: 'Ada Admin', role: 'admin' });
    render(<PersonDialog admin={noCalls} person={ada} people={[ada]} me={{ id: 'mgr', role: 'manager' }} onClose={() => {}} onChanged={() => {}} />);
    expect(screen.getByText('Only admins change an admin: Ada Admin is shown as they are.')).toBeTruthy();
    expect(screen.queryByText('Only admins change roles.')).toBeNull();
    expect(footerButtons()).toEqual(['Cancel']);
  });

  it('lets an admin change someone else\'s role and deactivate them', () => {
    const sam = person({});
    render(<PersonDialog admin={noCalls} person={sam} people={[sam]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(roleSelect().disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Deactivate…' })).toBeTruthy();
  });

  it('never offers one\'s own role or deactivation', () => {
    const ada = person({ id: 'admin-1', full_name: 'Ada Admin', role: 'admin' });
    render(<PersonDialog admin={noCalls} person={ada} people={[ada]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(roleSelect().disabled).toBe(true);
    expect(screen.getByText('Nobody changes their own role.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Deactivate…' })).toBeNull();
  });

  it('gives a manager no role changes and no edits of an admin', () => {
    const sam = person({});
    const { unmount } = render(<PersonDialog admin={noCalls} person={sam} people={[sam]} me={{ id: 'mgr', role: 'manager' }} onClose={() => {}} onChanged={() => {}} />);
    expect(roleSelect().disabled).toBe(true);
    expect(screen.getByText('Only admins change roles.')).toBeTruthy();
    unmount();
    const ada = person({ full_name: 'Ada Admin', role: 'admin' });
    render(<PersonDialog admin={noCalls} person={ada} people={[ada]} me={{ id: 'mgr', role: 'manager' }} onClose={() => {}} onChanged={() => {}} />);
    expect((screen.getByLabelText('Title') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});

/** An admin API that records each update_person and answers with the person changed. */
function recordingAdmin(shown: Person) {
  const updates: PersonChanges[] = [];
  const admin = {
    updatePerson: async (_id: string, changes: PersonChanges) => {
      updates.push(changes);
      return { person: { ...shown, ...changes }, open_work: { executions: [], tasks: [], customers: 0 } };
    },
  } as unknown as AdminApi;
  return { admin, updates };
}

function editAsAdmin(shown: Person) {
  const { admin, updates } = recordingAdmin(shown);
  const closed: boolean[] = [];
  render(<PersonDialog admin={admin} person={shown} people={[shown]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => closed.push(true)} onChanged={() => {}} />);
  const chooseRole = (role: string) => {
    fireEvent.change(roleSelect(), { target: { value: role } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  };
  return { updates, closed, chooseRole };
}

describe('changing a role', () => {
  it('asks before making someone a viewer, says what happens, and a cancel changes nothing', async () => {
    const { updates, closed, chooseRole } = editAsAdmin(person({}));
    chooseRole('viewer');
    const question = screen.getByRole('alert');
    expect(question.textContent).toContain('Sam Senior will be a viewer instead of a CSM.');
    expect(question.textContent).toContain('They will no longer work their queue');
    expect(question.textContent).toContain('Their 3 open workflows go back to the team, unassigned');
    expect(updates).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep CSM' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep CSM' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(roleSelect().value).toBe('csm');
    await Promise.resolve();
    expect(updates).toEqual([]);
    expect(closed).toEqual([]);
  });

  it('changes the role once confirmed', async () => {
    const { updates, closed, chooseRole } = editAsAdmin(person({}));
    chooseRole('viewer');
    fireEvent.click(screen.getByRole('button', { name: 'Change role to Viewer' }));
    await waitFor(() => expect(closed).toEqual([true]));
    expect(updates).toEqual([{ role: 'viewer' }]);
  });

  it('asks before unmaking or making an admin', () => {
    const { updates, chooseRole } = editAsAdmin(person({ full_name: 'Ada Admin', role: 'admin' }));
    chooseRole('manager');
    expect(screen.getByRole('alert').textContent).toContain('Ada Admin will be a manager instead of an admin. They will no longer run the organisation from the Admin pages');
    fireEvent.click(screen.getByRole('button', { name: 'Keep Admin' }));
    chooseRole('admin');
    expect(screen.queryByRole('alert')).toBeNull(); // no change at all: nothing to ask
    expect(updates).toEqual([]);
    cleanup();
    const second = editAsAdmin(person({}));
    second.chooseRole('admin');
    expect(screen.getByRole('alert').textContent).toContain('Sam Senior will be an admin instead of a CSM. They will be able to run the organisation');
    expect(second.updates).toEqual([]);
  });

  it('holds the other fields while asking, and gives the focus back to the role it kept', async () => {
    const { updates, chooseRole } = editAsAdmin(person({}));
    chooseRole('viewer');
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('combobox', { name: 'Experience' }) as HTMLSelectElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Keep CSM' }));
    const role = screen.getByRole('combobox', { name: 'Role' }) as HTMLSelectElement;
    await waitFor(() => expect(document.activeElement).toBe(role));
    expect(role.value).toBe('csm');
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).disabled).toBe(false);
    expect(updates).toEqual([]);
  });

  it('does not ask when the change only adds (CSM to manager)', async () => {
    const { updates, closed, chooseRole } = editAsAdmin(person({}));
    chooseRole('manager');
    await waitFor(() => expect(closed).toEqual([true]));
    expect(updates).toEqual([{ role: 'manager' }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('deactivating someone', () => {
  /** An admin API whose deactivation leaves one open workflow to hand over, and whose hand-over answers. */
  function deactivatingAdmin(shown: Person) {
    return {
      updatePerson: async (_id: string, changes: PersonChanges) => ({
        person: { ...shown, ...changes },
        open_work: { executions: [{ id: 'w1', status: 'queued', workflow_name: 'Critical Stage', customer: { id: 'c1', name: 'Litware Security' } }], tasks: [], customers: 0 },
      }),
      reassignWorkflow: async () => ({}),
    } as unknown as AdminApi;
  }

  it('keeps the focus in the dialog at each turn: on Keep active when asked, back on Deactivate… when kept, on the open work once done, on what became of an item handed over', async () => {
    const casey = person({ full_name: 'Casey Junior' });
    const maria = person({ full_name: 'Maria Manager', role: 'manager' });
    render(<PersonDialog admin={deactivatingAdmin(casey)} person={casey} people={[casey, maria]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate…' }));
    // The button pressed is gone: the focus goes to the choice that changes nothing.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep active' })));
    fireEvent.click(screen.getByRole('button', { name: 'Keep active' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Deactivate…' })));
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate Casey Junior' }));
    const heading = await screen.findByRole('heading', { name: 'Open work to hand over (1)' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    fireEvent.change(screen.getByLabelText('New owner of Critical Stage · Litware Security'), { target: { value: maria.id } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    const handed = await screen.findByText('Handed to Maria Manager');
    await waitFor(() => expect(document.activeElement).toBe(handed));
  });

  it('offers a deactivated person\'s open work to hand over again, after the dialog that deactivated them was closed', async () => {
    // Before, only the deactivation's own answer listed it: reopened, the dialog offered
    // Reactivate alone, and People's "13 open workflows" could not be handed over from there.
    const gone = person({ full_name: 'Casey Junior', active: false, status: 'deactivated', open_workflows: 1, open_tasks: 0 });
    const sam = person({ full_name: 'Sam Senior' });
    const asked: string[] = [];
    const admin = {
      personOpenWork: async (id: string) => {
        asked.push(id);
        return { tasks: [], executions: [{ id: 'e-1', status: 'queued', customer: { id: 'c-1', name: 'Adventure Works' }, workflow_key: 'critical', workflow_name: 'Critical Stage' }], customers: 0 };
      },
    } as unknown as AdminApi;
    render(<PersonDialog admin={admin} person={gone} people={[gone, sam]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(screen.getByText(/Casey Junior still holds 1 open workflow\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hand over their open work…' }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Open work to hand over (1)'));
    expect(asked).toEqual([gone.id]);
    expect(screen.getByRole('link', { name: 'Critical Stage · Adventure Works' })).toBeTruthy();
    expect(footerButtons()).toEqual(['Reactivate', 'Done']);
  });

  it('counts the customers a deactivated person is CSM of as something to hand over', () => {
    const gone = person({ full_name: 'Casey Junior', active: false, status: 'deactivated', open_workflows: 0, open_tasks: 0, customers: 2 });
    render(<PersonDialog admin={noCalls} person={gone} people={[gone]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(screen.getByText('Deactivated: cannot sign in. Casey Junior still holds 2 customers.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Hand over their open work…' })).toBeTruthy();
  });

  it('says nothing is left to hand over for a deactivated person who holds nothing', () => {
    const gone = person({ active: false, status: 'deactivated', open_workflows: 0, open_tasks: 0 });
    render(<PersonDialog admin={noCalls} person={gone} people={[gone]} me={{ id: 'admin-1', role: 'admin' }} onClose={() => {}} onChanged={() => {}} />);
    expect(screen.getByText('Deactivated: cannot sign in.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Hand over their open work…' })).toBeNull();
  });
});

describe('webhook secret state', () => {
  const base = { id: 's', label: 'CRM', secret_prefix: 'whsec_abcdef', created_at: '2026-12-01T00:00:00Z' };
  const now = Date.parse('2026-12-04T12:00:00Z');
  it('reads in use, ending (rotation overlap) and stopped (revoked or past its end)', () => {
    expect(secretState({ ...base, active: true, expires_at: null }, now).label).toBe('In use');
    expect(secretState({ ...base, active: true, expires_at: '2026-12-05T00:00:00Z' }, now).label).toBe('Ending');
    expect(secretState({ ...base, active: true, expires_at: '2026-12-04T00:00:00Z' }, now).label).toBe('Stopped');
    expect(secretState({ ...base, active: false, expires_at: '2026-12-04T11:59:00Z' }, now).label).toBe('Stopped');
    expect(secretState({ ...base, active: false, expires_at: null }, now).label).toBe('Stopped');
  });
});
