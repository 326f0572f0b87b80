// @vitest-environment happy-dom
// Admin → Integrations: the ingest address wraps only between its parts (after a '/'), never
// inside a word, and Copy puts it on the clipboard and says so to a screen
// reader; where the browser refuses the clipboard, the address is selected and the notice says
// how to copy it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AdminIntegrationsPage } from './AdminIntegrationsPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const OVERVIEW = { ingest_path: '/functions/v1/ingest/acme-cloud', secrets: [], deliveries: [] };

function clipboard(writeText: (text: string) => Promise<void>) {
  const stub = Object.create(navigator) as Navigator;
  Object.defineProperty(stub, 'clipboard', { value: { writeText } });
  vi.stubGlobal('navigator', stub);
}

describe('the ingest address', () => {
  it('breaks only after a separator, and Copy copies it and announces it', async () => {
    const writeText = vi.fn(async () => {});
    clipboard(writeText);
    const { wrap } = cannedWorkspace('admin', { get_integrations_overview: () => OVERVIEW });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    const address = await screen.findByLabelText('Ingest URL');
    expect(address.textContent).toBe('http://x/functions/v1/ingest/acme-cloud');
    // Every line-break opportunity (<wbr>) follows a separator; the words between them never split.
    const pieces = address.innerHTML.split('<wbr>');
    expect(pieces).toEqual(['http://', 'x/', 'functions/', 'v1/', 'ingest/', 'acme-cloud']);
    fireEvent.click(screen.getByRole('button', { name: 'Copy the ingest URL' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('http://x/functions/v1/ingest/acme-cloud'));
    const status = await screen.findByText('Copied the ingest URL.');
    expect(status.closest('[role="status"]')).toBeTruthy();
  });

  it('selects the address and says how to copy it when the clipboard is refused', async () => {
    clipboard(async () => { throw new Error('NotAllowedError'); });
    const { wrap } = cannedWorkspace('admin', { get_integrations_overview: () => OVERVIEW });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Copy the ingest URL' }));
    expect((await screen.findByText(/could not be copied here/)).textContent)
      .toBe('The ingest URL could not be copied here: it is selected, copy it with Ctrl+C (⌘C on a Mac).');
    expect(window.getSelection()?.toString()).toBe('http://x/functions/v1/ingest/acme-cloud');
  });
});

describe('a new webhook secret', () => {
  it("has a visible label, worded as the table's column (Label), not only a placeholder that goes once typed in", async () => {
    const { wrap } = cannedWorkspace('admin', { get_integrations_overview: () => OVERVIEW });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    const name = await screen.findByLabelText('Label of a new secret');
    expect(name.getAttribute('aria-label')).toBeNull();
    expect(name.closest('label')?.textContent).toContain('Label of a new secret');
  });

  it('takes the focus to its Copy button once made, and back to Create secret once put away', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_integrations_overview: () => OVERVIEW,
      create_webhook_secret: (args) => ({ id: 's1', label: args.label, secret: 'whsec_new', secret_prefix: 'whsec_ne' }),
    });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    fireEvent.change(await screen.findByLabelText('Label of a new secret'), { target: { value: 'CRM' } });
    const create = screen.getByRole('button', { name: 'Create secret' });
    create.focus();
    fireEvent.click(create);
    await screen.findByText('Copy the new secret “CRM” now.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Copy the new secret' })));
    fireEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByText(/Copy the new secret/)).toBeNull();
    expect(document.activeElement, 'not the page').toBe(screen.getByRole('button', { name: 'Create secret' }));
  });
});

describe('a rotation whose answer was lost', () => {
  const SECRET = { id: 's1', label: 'CRM', secret_prefix: 'whsec_old', active: true, expires_at: null, created_at: '2026-12-01T10:00:00Z' };
  const LOST = { message: 'TypeError: Failed to fetch', code: '', details: null, hint: null, status: 0 };

  it('is sent again under its first key, and shows the secret the first made', async () => {
    const keys: unknown[] = [];
    const { wrap } = cannedWorkspace('admin', {
      get_integrations_overview: () => ({ ...OVERVIEW, secrets: [SECRET] }),
      rotate_webhook_secret: (args) => {
        keys.push(args.idempotency_key);
        // The first rotation is applied on the server, but its answer never comes back.
        if (keys.length === 1) throw LOST;
        return { secret: { ...SECRET, id: 's2', secret_prefix: 'whsec_new', secret: 'whsec_new' }, previous: { ...SECRET, expires_at: '2026-12-02T10:00:00Z' } };
      },
    });
    localStorage.clear();
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Rotate “CRM”' }));
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(screen.getByRole('button', { name: 'Rotate “CRM”' }));
    await screen.findByText('Copy the new secret “CRM” now.');
    expect(keys).toHaveLength(2);
    expect(typeof keys[0]).toBe('string');
    expect(keys[1], 'the retry of the same rotation').toBe(keys[0]);
  });
});

describe('revoking a secret', () => {
  // Before, Revoke (beside Rotate, in every row, each named only "Revoke") stopped the secret
  // at the first click, with no way back: a CRM still signing with it was refused from then on.
  const CRM = { id: 's1', label: 'CRM', secret_prefix: 'whsec_crm', active: true, expires_at: null, created_at: '2026-12-01T10:00:00Z' };
  const BILLING = { ...CRM, id: 's2', label: 'Billing', secret_prefix: 'whsec_bil' };

  function page() {
    const revoked: unknown[] = [];
    const { wrap } = cannedWorkspace('admin', {
      get_integrations_overview: () => ({ ...OVERVIEW, secrets: revoked.includes('s1') ? [{ ...CRM, active: false }, BILLING] : [CRM, BILLING] }),
      revoke_webhook_secret: (args) => { revoked.push(args.secret_id); return { ...CRM, active: false }; },
    });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    return revoked;
  }

  it('names the secret each button acts on, asks first, and Keep it revokes nothing', async () => {
    const revoked = page();
    const revoke = await screen.findByRole('button', { name: 'Revoke “CRM”' });
    expect(screen.getByRole('button', { name: 'Rotate “Billing”' })).toBeTruthy();
    fireEvent.click(revoke);
    expect(screen.getByRole('alert').textContent).toContain('Revoke “CRM”? Deliveries signed with it are refused from then on');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep it' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Revoke “CRM”' })));
    expect(revoked).toEqual([]);
  });

  it('revokes once confirmed and says so, with the focus on what it did', async () => {
    const revoked = page();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke “CRM”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Revoke this secret' }));
    const said = await screen.findByText('Revoked “CRM”: deliveries signed with it are refused.');
    expect(revoked).toEqual(['s1']);
    await waitFor(() => expect(document.activeElement).toBe(said));
    expect(screen.queryByRole('button', { name: 'Revoke “CRM”' })).toBeNull();
  });
});

describe('Last deliveries before any', () => {
  it('says what to do to receive the first', async () => {
    const { wrap } = cannedWorkspace('admin', { get_integrations_overview: () => OVERVIEW });
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    expect(await screen.findByText(/Nothing received yet\. Give your CRM or data pipeline the ingest address above and a\s+secret/)).toBeTruthy();
  });
});

describe('AdminIntegrationsPage for a manager', () => {
  it('says who may use it and asks the server nothing (which would refuse, a 403 in the console)', async () => {
    const { wrap, calls } = cannedWorkspace('manager', {});
    render(<AdminIntegrationsPage />, { wrapper: wrap });
    expect(await screen.findByText('Only admins manage integrations.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]);
  });
});
