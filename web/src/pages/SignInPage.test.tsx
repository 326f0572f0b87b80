// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import { SignInPage } from './SignInPage.tsx';

afterEach(cleanup);

// Rendering only: nothing here signs in, so no client is needed.
const noApi = {} as Api;
const config = { supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'anon', demoPeople: null };
const demoPeople = { password: 'the-local-password', people: [{ email: 'sam.csm@acme.test', role: 'Senior CSM' }] };

describe('the sign-in page', () => {
  it('lists the demo people on the local stack', () => {
    render(<SignInPage api={noApi} config={{ ...config, demoPeople }} />);
    expect(screen.getByRole('heading', { name: /Demo people/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /sam\.csm@acme\.test.*Senior CSM/ })).toBeTruthy();
    expect(screen.getByText('the-local-password')).toBeTruthy();
  });

  it('never shows them elsewhere', () => {
    render(<SignInPage api={noApi} config={config} />);
    expect(screen.queryByRole('heading', { name: /Demo people/ })).toBeNull();
    expect(screen.queryByText(/renubu-demo-password/)).toBeNull();
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });

  it('says what to do when the email and password do not match', async () => {
    const api = { client: { auth: { signInWithPassword: async () => ({ error: { message: 'Invalid login credentials', name: 'AuthApiError', status: 400 } }) } } } as unknown as Api;
    render(<SignInPage api={api} config={config} />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent)
      .toBe('That email and password do not match an account. Check both and try again, or choose “Forgot your password?” to set a new one.');
  });

  it('tells a deactivated person who can let them back in, not "User is banned"', async () => {
    const api = { client: { auth: { signInWithPassword: async () => ({ error: { message: 'User is banned', code: 'user_banned', name: 'AuthApiError', status: 400 } }) } } } as unknown as Api;
    render(<SignInPage api={api} config={config} />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'gone@acme.test' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent)
      .toBe('This account has been deactivated. Ask an admin of your organisation to reactivate it.');
  });

  describe('an entry left empty or not an address', () => {
    function renderCounting() {
      const calls: unknown[] = [];
      const api = { client: { auth: { signInWithPassword: async (body: unknown) => { calls.push(body); return { error: null }; } } } } as unknown as Api;
      render(<SignInPage api={api} config={config} />);
      return calls;
    }
    const problemOf = (label: string) => {
      const ids = screen.getByLabelText(label).getAttribute('aria-describedby');
      return ids ? document.getElementById(ids)?.textContent : null;
    };

    it('is said beside the email in words, which takes the focus, and Auth is not asked', () => {
      const calls = renderCounting();
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      expect(problemOf('Email')).toBe('Enter your email address.');
      expect(document.activeElement).toBe(screen.getByLabelText('Email'));
      fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam' } });
      expect(problemOf('Email'), 'changing the field clears its problem').toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      expect(problemOf('Email')).toBe('Enter an email address, such as sam@example.com.');
      expect(calls).toEqual([]);
    });

    it('is said beside the password once the email is one, which takes the focus', () => {
      const calls = renderCounting();
      fireEvent.change(screen.getByLabelText('Email'), { target: { value: ' sam.csm@acme.test ' } });
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      expect(problemOf('Email')).toBeNull();
      expect(problemOf('Password')).toBe('Enter your password.');
      expect(document.activeElement).toBe(screen.getByLabelText('Password'));
      expect(calls).toEqual([]);
    });

    it('leaves the browser\'s own checks out of it (noValidate)', () => {
      renderCounting();
      expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).form?.noValidate).toBe(true);
    });
  });
});
