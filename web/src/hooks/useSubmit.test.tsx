// @vitest-environment happy-dom
// The forms and dialogs that call the server share one submit: one call at a time, a problem
// found first shown instead of calling, a failure kept to show, busy while it runs.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import { useSubmit, type Submit } from './useSubmit.ts';

afterEach(cleanup);

describe('useSubmit', () => {
  it('runs one call at a time: a second submit while the first runs is ignored', async () => {
    const { result } = renderHook(() => useSubmit());
    let calls = 0;
    let finish!: () => void;
    const work = () => { calls += 1; return new Promise<void>((resolve) => { finish = resolve; }); };
    let first!: Promise<void>;
    act(() => { first = result.current.run(work); void result.current.run(work); });
    expect(calls).toBe(1);
    expect(result.current.busy).toBe(true);
    await act(async () => { finish(); await first; });
    expect(result.current.busy).toBe(false);
    await act(() => result.current.run(async () => { calls += 1; }));
    expect(calls).toBe(2);
  });

  it('shows a problem instead of calling, and keeps a failure until the next try', async () => {
    const { result } = renderHook(() => useSubmit());
    let called = false;
    await act(() => result.current.run(async () => { called = true; }, () => 'Say why.'));
    expect(called).toBe(false);
    expect((result.current.error as Error).message).toBe('Say why.');
    await act(() => result.current.run(async () => { throw new Error('PT409 changed meanwhile'); }));
    expect((result.current.error as Error).message).toBe('PT409 changed meanwhile');
    expect(result.current.busy).toBe(false);
    await act(() => result.current.run(async () => {}));
    expect(result.current.error).toBeNull();
  });

  it('gives the focus back to the button it was started from, which was disabled (and so lost it) while the call ran', async () => {
    let submit!: Submit;
    function Save() {
      submit = useSubmit();
      return <><button type="button" disabled={submit.busy}>Save</button><button type="button">Elsewhere</button></>;
    }
    render(<Save />);
    const save = screen.getByRole('button', { name: 'Save' });
    save.focus();
    let finish!: () => void;
    let done!: Promise<void>;
    act(() => { done = submit.run(() => new Promise<void>((resolve) => { finish = resolve; })); });
    // What the browser does to a focused control once it is disabled: the focus falls to the page.
    const away = document.body.appendChild(document.createElement('input'));
    away.focus();
    away.remove();
    expect(document.activeElement).toBe(document.body);
    await act(async () => { finish(); await done; });
    expect(document.activeElement).toBe(save);

    // Focus taken elsewhere meanwhile stays there.
    act(() => { done = submit.run(() => new Promise<void>((resolve) => { finish = resolve; })); });
    screen.getByRole('button', { name: 'Elsewhere' }).focus();
    await act(async () => { finish(); await done; });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Elsewhere' }));
  });
});
