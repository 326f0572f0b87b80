// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import { SignInPage } from './SignInPage.tsx';

afterEach(cleanup);

// Rendering only: nothing here signs in, so no client is needed.
const noApi = {} as Api;
const config = { supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'anon' };

describe('the sign-in page', () => {
  it('lists the demo people on the local stack', () => {
    render(<SignInPage api={noApi} config={{ ...config, showDemoUsers: true }} />);
    expect(screen.getByRole('heading', { name: /Demo people/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /sam\.csm@acme\.test/ })).toBeTruthy();
  });

  it('never shows them elsewhere', () => {
    render(<SignInPage api={noApi} config={{ ...config, showDemoUsers: false }} />);
    expect(screen.queryByRole('heading', { name: /Demo people/ })).toBeNull();
    expect(screen.queryByText(/renubu-demo-password/)).toBeNull();
    expect(screen.getByLabelText('Email')).toBeTruthy();
    expect(screen.getByLabelText('Password')).toBeTruthy();
  });
});
