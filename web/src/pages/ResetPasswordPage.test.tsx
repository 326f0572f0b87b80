// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import { ResetPasswordPage } from './ResetPasswordPage.tsx';

afterEach(cleanup);

function renderCounting(error: { code: string; status: number; message: string } | null = null) {
  const calls: unknown[] = [];
  const api = { client: { auth: { resetPasswordForEmail: async (email: unknown) => { calls.push(email); return { error }; } } } } as unknown as Api;
  render(<ResetPasswordPage api={api} />);
  return calls;
}
const problemOfEmail = () => {
  const ids = screen.getByLabelText('Email').getAttribute('aria-describedby');
  return ids ? document.getElementById(ids)?.textContent : null;
};

describe('the reset-password page', () => {
  it('says an empty or malformed address beside the field, which takes the focus, and mails nothing', () => {
    const calls = renderCounting();
    const send = screen.getByRole('button', { name: 'Email me a link' }) as HTMLButtonElement;
    expect(send.form?.noValidate, 'the browser\'s own "Please fill out this field" is left out').toBe(true);
    fireEvent.click(send);
    expect(problemOfEmail()).toBe('Enter your email address.');
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam@' } });
    fireEvent.click(send);
    expect(problemOfEmail()).toBe('Enter an email address, such as sam@example.com.');
    expect(calls).toEqual([]);
  });

  it('sends an address that is one, trimmed', async () => {
    const calls = renderCounting();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: ' sam.csm@acme.test ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(calls).toEqual(['sam.csm@acme.test']);
  });

  it('puts the focus on what it did once the link is on its way, as the form it replaces held it', async () => {
    // Before, Email me a link went with its form and the focus fell to the page's body.
    renderCounting();
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    const said = await screen.findByRole('status');
    expect(document.activeElement).toBe(said);
  });

  it('answers an address that has an account and asked again a moment ago as it answers any other', async () => {
    // Auth refuses a second link to an address with an account within [auth.email]
    // max_frequency (429 over_email_send_rate_limit, GoTrue's rule) and answers an address
    // without one 200 every time. Before, the page said 'Too many attempts…' for the first
    // and 'If … has an account, a link … is on its way' for the second: a second press told
    // anyone whether the address had an account.
    renderCounting({ code: 'over_email_send_rate_limit', status: 429, message: 'For security purposes, you can only request this after 1 seconds.' });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    expect((await screen.findByRole('status')).textContent).toBe('If sam.csm@acme.test has an account, a link to choose a new password is on its way. It works once. If none arrives within a few minutes, ask again later.');
  });

  it('still says too many attempts from this address, which Auth answers whoever is asked for', async () => {
    renderCounting({ code: 'over_request_rate_limit', status: 429, message: 'Request rate limit reached' });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    expect(await screen.findByText('Too many attempts in a short time. Wait a minute, then try again.')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
