// @vitest-environment happy-dom
// The overdue-renewals figure says one or many in words, and names the renewals nobody works.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { OverdueRenewalsStat } from './OverdueRenewalsStat.tsx';

afterEach(cleanup);

describe('OverdueRenewalsStat', () => {
  it('reads "1 overdue renewal", in the singular', () => {
    const { container } = render(<OverdueRenewalsStat renewals={{ overdue: 1, overdue_without_work: 0 }} />);
    expect(container.textContent).toBe('1overdue renewal this quarter');
  });

  it('counts three and says how many have no open workflow', () => {
    const { container } = render(<OverdueRenewalsStat renewals={{ overdue: 3, overdue_without_work: 2 }} />);
    expect(container.textContent).toBe('3overdue renewals this quarter · 2 with no open workflow');
    expect(container.querySelector('.stat-urgent')).not.toBeNull();
  });

  it('is calm at zero', () => {
    const { container } = render(<OverdueRenewalsStat renewals={{ overdue: 0, overdue_without_work: 0 }} />);
    expect(container.querySelector('.stat-urgent')).toBeNull();
    expect(container.textContent).toBe('0overdue renewals this quarter');
  });
});
