// @vitest-environment happy-dom
// Changing my password: what is wrong is said beside the field it is about, which takes the
// focus, and nothing is sent until both entries are right; then Auth is asked once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { ChangePassword } from './ChangePassword.tsx';

afterEach(cleanup);

describe('changing my password', () => {
  it('says a short password beside New password and a different repeat beside the repeat, each taking the focus', async () => {
    const updateUser = vi.fn(async () => ({ error: null }));
    render(<ChangePassword client={{ auth: { updateUser } } as unknown as SupabaseClient} />);
    const password = screen.getByLabelText('New password');
    const repeat = screen.getByLabelText('Repeat the new password');
    const submit = screen.getByRole('button', { name: 'Change password' });

    fireEvent.change(password, { target: { value: 'short' } });
    fireEvent.click(submit);
    expect(screen.getByRole('alert').textContent).toBe('Use at least 8 characters.');
    expect(password.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(document.activeElement).toBe(password);

    fireEvent.change(password, { target: { value: 'long enough now' } });
    expect(screen.queryByRole('alert'), 'the field changed: its problem goes').toBeNull();
    fireEvent.change(repeat, { target: { value: 'long enough then' } });
    fireEvent.click(submit);
    expect(screen.getByRole('alert').textContent).toBe('The two passwords differ.');
    expect(document.activeElement).toBe(repeat);
    expect(updateUser).not.toHaveBeenCalled();

    fireEvent.change(repeat, { target: { value: 'long enough now' } });
    fireEvent.click(submit);
    await screen.findByText(/Your password is changed/);
    expect(updateUser).toHaveBeenCalledWith({ password: 'long enough now' });
  });
});
