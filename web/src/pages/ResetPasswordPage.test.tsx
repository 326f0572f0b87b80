// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import { ResetPasswordPage } from './ResetPasswordPage.tsx';

afterEach(cleanup);

function renderCounting() {
  const calls: unknown[] = [];
  const api = { client: { auth: { resetPasswordForEmail: async (email: unknown) => { calls.push(email); return { error: null }; } } } } as unknown as Api;
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
});
