// @vitest-environment happy-dom
// The forms and dialogs that call the server share one submit: one call at a time, a problem
// found first shown instead of calling, a failure kept to show, busy while it runs.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { useSubmit } from './useSubmit.ts';

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
});
