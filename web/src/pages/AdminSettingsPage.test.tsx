// @vitest-environment happy-dom
// Admin → Settings: a refused save is shown beside the setting it names (announced, and tied
// to its field), what names no field stays at the foot; snooze days out of order are named
// beside them before anything is sent.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminSettingsPage } from './AdminSettingsPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const SETTINGS = {
  time_zone: 'Europe/Paris', email: { require_approval: true, allow_self_approval: false },
  thresholds: { risk_score_trigger: 70, opportunity_score_trigger: 70, renewal_overdue_cutoff_days: 30 },
  snooze: { min_days: 1, default_days: 3, max_days: 30 }, brief: { time: '07:00' }, llm: { model: 'llama3.1:8b' }, updated_at: '2026-12-01T00:00:00Z',
};

function refusal(code: string, message: string) {
  return () => { throw { code, message, details: null, hint: 'Nothing was changed; fix the settings named and try again.' }; };
}

const section = (name: string) => screen.getByRole('heading', { name }).closest('section')!;

/** The problem a control is described by, which must be an announced one. */
function problemOf(control: HTMLElement): HTMLElement {
  expect(control.getAttribute('aria-invalid')).toBe('true');
  const problem = document.getElementById(control.getAttribute('aria-describedby')!.split(' ')[0]!)!;
  expect(problem.getAttribute('role')).toBe('alert');
  return problem;
}

describe('admin settings', () => {
  it('shows a refused setting beside its field, in its section, not at the foot', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_organisation_settings: () => SETTINGS,
      update_organisation_settings: refusal('22023', 'thresholds.risk_score_trigger must be a whole number from 0 to 100'),
    });
    render(<AdminSettingsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Save settings' }));
    const risk = within(section('When work is opened')).getByLabelText('Risk assessment from risk score');
    await waitFor(() => expect(risk.getAttribute('aria-invalid')).toBe('true'));
    const problem = problemOf(risk);
    expect(problem.textContent).toBe('Must be a whole number from 0 to 100.');
    expect(section('When work is opened').contains(problem)).toBe(true);
    expect(document.activeElement).toBe(risk);
    expect(document.querySelector('.inline-error')).toBeNull();
    expect(within(section('Organisation')).getByLabelText(/Time zone/).getAttribute('aria-invalid')).toBeNull();
  });

  it("says the assistant model is noted on each chat, the server's model answering, so an admin does not expect it to switch models", async () => {
    const { wrap } = cannedWorkspace('admin', { get_organisation_settings: () => SETTINGS });
    render(<AdminSettingsPage />, { wrapper: wrap });
    await screen.findByRole('button', { name: 'Save settings' });
    const model = within(section('Organisation')).getByLabelText(/Assistant model/) as HTMLInputElement;
    expect(model.value).toBe('llama3.1:8b');
    expect(model.labels?.[0]?.textContent).toBe("Assistant model (noted on each chat; the server's model answers)");
  });

  it('keeps an error that names no field in the general area', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_organisation_settings: () => SETTINGS,
      update_organisation_settings: refusal('42501', "Only admins can change the organisation's settings"),
    });
    render(<AdminSettingsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Save settings' }));
    const alert = await screen.findByText(/Only admins can change the organisation's settings/);
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.className).toBe('inline-error');
    expect(document.querySelector('[aria-invalid="true"]')).toBeNull();
  });

  it('names snooze days out of order beside them and sends nothing', async () => {
    const { wrap, calls } = cannedWorkspace('admin', { get_organisation_settings: () => SETTINGS, update_organisation_settings: () => SETTINGS });
    render(<AdminSettingsPage />, { wrapper: wrap });
    const snooze = within(await screen.findByRole('region', { name: 'Snooze' }));
    fireEvent.change(snooze.getByLabelText('Default days'), { target: { value: '40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const problem = problemOf(snooze.getByLabelText('Default days'));
    expect(problem.textContent).toBe('The default (40 days) must not be more than the most days (30).');
    expect(problemOf(snooze.getByLabelText('Most days'))).toBe(problem);
    // Only the two out of order are marked: the fewest days (1) are fine as they are.
    expect(snooze.getByLabelText('Fewest days').getAttribute('aria-invalid')).toBeNull();
    expect(calls.map((call) => call.name)).not.toContain('update_organisation_settings');
  });

  it('takes the problem of the snooze days away once they are corrected, leaving the focus where the admin types, not at the next save', async () => {
    const { wrap } = cannedWorkspace('admin', { get_organisation_settings: () => SETTINGS, update_organisation_settings: () => SETTINGS });
    render(<AdminSettingsPage />, { wrapper: wrap });
    const snooze = within(await screen.findByRole('region', { name: 'Snooze' }));
    const usual = snooze.getByLabelText('Default days');
    fireEvent.change(usual, { target: { value: '40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    problemOf(usual);
    // Still out of order: still said.
    fireEvent.change(usual, { target: { value: '35' } });
    expect(problemOf(usual).textContent).toBe('The default (35 days) must not be more than the most days (30).');
    const most = snooze.getByLabelText('Most days');
    most.focus();
    fireEvent.change(most, { target: { value: '60' } });
    expect(snooze.queryByRole('alert')).toBeNull();
    expect(usual.getAttribute('aria-invalid')).toBeNull();
    expect(most.getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(most);
  });

  it("takes the server's refusal of a snooze day away once that day is changed", async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_organisation_settings: () => SETTINGS,
      update_organisation_settings: refusal('22023', 'snooze.default_days must not be fewer than the fewest days (10)'),
    });
    render(<AdminSettingsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Save settings' }));
    const usual = within(section('Snooze')).getByLabelText('Default days');
    await waitFor(() => expect(usual.getAttribute('aria-invalid')).toBe('true'));
    fireEvent.change(usual, { target: { value: '12' } });
    expect(usual.getAttribute('aria-invalid')).toBeNull();
    expect(within(section('Snooze')).queryByRole('alert')).toBeNull();
  });

  it("shows the server's refusal of the snooze days beside the field it names, in the page's words", async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_organisation_settings: () => SETTINGS,
      update_organisation_settings: refusal('22023', 'snooze.default_days must not be fewer than the fewest days (10)'),
    });
    render(<AdminSettingsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Save settings' }));
    const usual = within(section('Snooze')).getByLabelText('Default days');
    await waitFor(() => expect(usual.getAttribute('aria-invalid')).toBe('true'));
    expect(problemOf(usual).textContent).toBe('Must not be fewer than the fewest days (10).');
    expect(document.querySelector('.inline-error')).toBeNull();
  });
});
