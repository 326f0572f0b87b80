// @vitest-environment happy-dom
// Every role's top bar: a manager reaches People (/admin/people works for managers,
// docs/admin.md), an admin the Admin pages; a CSM and a viewer neither.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MainNav, navLinks } from './MainNav.tsx';
import { adminLinksFor } from '../features/admin-people/AdminNav.tsx';

afterEach(cleanup);

const labels = (role: 'admin' | 'manager' | 'csm' | 'viewer') => navLinks({ role }).map((link) => link.label);

describe('the main navigation', () => {
  it('gives a manager a People link to /admin/people, marked current there', () => {
    render(<MainNav profile={{ role: 'manager' }} route="admin-people" />);
    const people = screen.getByRole('link', { name: 'People' });
    expect(people.getAttribute('href')).toBe('/admin/people');
    expect(people.getAttribute('aria-current')).toBe('page');
  });

  it('lists each role\'s pages', () => {
    expect(labels('manager')).toEqual(['Queue', 'Team', 'Customers', 'Forecast', 'Tasks', 'Sent mail', 'Preferences', 'People']);
    expect(labels('admin')).toEqual(['Queue', 'Team', 'Customers', 'Forecast', 'Tasks', 'Sent mail', 'Preferences', 'Admin']);
    expect(labels('csm')).toEqual(['Queue', 'Customers', 'Forecast', 'Tasks', 'Sent mail', 'Preferences']);
    expect(labels('viewer')).toEqual(['Home', 'Customers', 'Tasks', 'Sent mail', 'Preferences']);
  });

  it('shows a manager only the admin tabs they may open', () => {
    expect(adminLinksFor('manager').map((link) => link.label)).toEqual(['People']);
    expect(adminLinksFor('admin').map((link) => link.label)).toEqual(['People', 'Workflows', 'Actions', 'Settings', 'Integrations', 'Audit']);
    expect(adminLinksFor('csm')).toEqual([]);
  });
});
