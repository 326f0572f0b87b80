// @vitest-environment happy-dom
// A call refused mid-page because the session ended (expired while the laptop slept, ended on
// another device) says so where it failed, with the way back in: "Sign in again", never a
// Try again that cannot help, and never the sentence alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '../lib/errors.ts';
import { ErrorState, InlineError } from './States.tsx';
import { SignInAgainContext } from './SignInAgain.tsx';

afterEach(cleanup);

const ended = new ApiError('JWT expired', { code: 'PGRST303', status: 401 });

describe('a session refused mid-page', () => {
  it('a screen that could not load offers Sign in again instead of Try again', () => {
    const signInAgain = vi.fn();
    const retry = vi.fn();
    render(<SignInAgainContext.Provider value={signInAgain}><ErrorState error={ended} title="The queue could not be loaded" onRetry={retry} /></SignInAgainContext.Provider>);
    expect(screen.getByRole('alert').textContent).toContain('Your session has ended');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalledTimes(1);
    expect(retry).not.toHaveBeenCalled();
  });

  it('an error under what failed (a form, a dialog) offers Sign in again beside the sentence', () => {
    const signInAgain = vi.fn();
    render(<SignInAgainContext.Provider value={signInAgain}><InlineError error={ended} /></SignInAgainContext.Provider>);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Your session has ended');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalledTimes(1);
  });

  it('any other error keeps Try again and offers no sign-in', () => {
    render(<SignInAgainContext.Provider value={vi.fn()}>
      <ErrorState error={new ApiError('Failed to fetch', { status: 0 })} onRetry={vi.fn()} />
      <InlineError error={new ApiError('You may not approve your own draft', { code: '42501', status: 403 })} />
    </SignInAgainContext.Provider>);
    expect(screen.getByRole('button', { name: 'Try again' })).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign in again' })).toBeNull();
  });
});
