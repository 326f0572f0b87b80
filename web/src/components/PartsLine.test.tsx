// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { PartsLine } from './PartsLine.tsx';

afterEach(cleanup);

describe('a line of parts', () => {
  it('keeps each date of a part whole, so a phone wraps the line between words, never inside "8 Dec 2026"', () => {
    const { container } = render(<PartsLine parts={['due 9 Dec 2026 (in 3 days)', 'Sam Senior']} />);
    const line = container.querySelector('.parts-line')!;
    expect(line.textContent).toBe('due 9 Dec 2026 (in 3 days)\u00a0· Sam Senior');
    expect([...line.querySelectorAll('.date-whole')].map((date) => date.textContent)).toEqual(['9 Dec 2026']);
  });
});
