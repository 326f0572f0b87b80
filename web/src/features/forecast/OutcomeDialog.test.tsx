// @vitest-environment happy-dom
// Recording a renewal's outcome: an ARR that does not fit the outcome is said in the dialog,
// in money as the app writes it, before the server refuses it with a bare number.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ForecastApi, ForecastItem } from './api.ts';
import { ApiError } from '../../lib/errors.ts';
import { OutcomeDialog } from './OutcomeDialog.tsx';

afterEach(cleanup);

const item = { execution_id: 'e1', customer: { id: 'c1', name: 'Contoso' }, current_arr: 250000 } as unknown as ForecastItem;

function open() {
  const recordOutcome = vi.fn(async () => ({}));
  const onRecorded = vi.fn();
  render(<OutcomeDialog item={item} forecastApi={{ recordOutcome } as unknown as ForecastApi} onClose={() => {}} onRecorded={onRecorded} />);
  return { recordOutcome, onRecorded };
}

const arrInput = () => screen.getByRole('spinbutton', { name: /New ARR/ }) as HTMLInputElement;
const recordButton = () => screen.getByRole('button', { name: /^Record / }) as HTMLButtonElement;

describe('the Record outcome dialog', () => {
  it('refuses Renewed below the current ARR in words, with the money formatted, and suggests Downgraded', () => {
    const { recordOutcome } = open();
    fireEvent.change(arrInput(), { target: { value: '240000' } });
    const problem = screen.getByTestId('outcome-arr-problem');
    expect(problem.textContent).toContain('at least the current ARR ($250,000)');
    expect(problem.textContent).toContain('$240,000');
    expect(problem.textContent).toContain('Downgraded');
    expect(problem.textContent).not.toMatch(/240000\.00|250000/);
    expect(arrInput().getAttribute('aria-invalid')).toBe('true');
    // Record stays offered, as on the app's other forms; pressed, it sends nothing and puts the focus in the box.
    expect(recordButton().disabled).toBe(false);
    fireEvent.click(recordButton());
    expect(recordOutcome).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(arrInput());
  });

  it('switches to Downgraded from the message, and records it with the new ARR', async () => {
    const { recordOutcome, onRecorded } = open();
    fireEvent.change(arrInput(), { target: { value: '240000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Choose Downgraded' }));
    expect((screen.getByRole('radio', { name: 'Downgraded' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('outcome-arr-problem')).toBeNull();
    fireEvent.click(recordButton());
    await vi.waitFor(() => expect(onRecorded).toHaveBeenCalled());
    expect(recordOutcome).toHaveBeenCalledWith('e1', 'downgraded', 240000, expect.any(String));
    expect(onRecorded).toHaveBeenCalledWith('Contoso: downgraded at $240,000.');
  });

  it('accepts Renewed at the current ARR or more', () => {
    open();
    expect(screen.queryByTestId('outcome-arr-problem')).toBeNull();
    expect(recordButton().disabled).toBe(false);
    fireEvent.change(arrInput(), { target: { value: '260000' } });
    expect(screen.queryByTestId('outcome-arr-problem')).toBeNull();
    expect(recordButton().disabled).toBe(false);
  });

  it('says a downgrade must be below the current ARR and above 0', () => {
    const { recordOutcome } = open();
    fireEvent.click(screen.getByRole('radio', { name: 'Downgraded' }));
    // Today's ARR, still as filled in, waits for the new one: no alert yet, but Record is offered,
    // and pressed it says why beside the box (focused) and sends nothing — never a silent disabled button.
    expect(screen.queryByTestId('outcome-arr-problem')).toBeNull();
    expect(recordButton().disabled).toBe(false);
    fireEvent.click(recordButton());
    expect(screen.getByTestId('outcome-arr-problem').textContent).toContain('A downgrade is below the current ARR ($250,000)');
    expect(arrInput().getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(arrInput());
    expect(recordOutcome).not.toHaveBeenCalled();
    fireEvent.change(arrInput(), { target: { value: '260000' } });
    expect(screen.getByTestId('outcome-arr-problem').textContent).toContain('below the current ARR ($250,000)');
    fireEvent.change(arrInput(), { target: { value: '0' } });
    expect(screen.getByTestId('outcome-arr-problem').textContent).toContain('Churned');
    fireEvent.click(recordButton());
    expect(recordOutcome).not.toHaveBeenCalled();
  });

  it('records an outcome whose answer was lost again under its first key, so it is recorded once', async () => {
    const keys: unknown[] = [];
    const recordOutcome = vi.fn(async (_id: string, _outcome: string, _arr: number | null, key: string) => {
      keys.push(key);
      if (keys.length === 1) throw new ApiError('TypeError: Failed to fetch', { code: '', status: 0 });
      return {};
    });
    const onRecorded = vi.fn();
    localStorage.clear();
    render(<OutcomeDialog item={item} forecastApi={{ recordOutcome } as unknown as ForecastApi} onClose={() => {}} onRecorded={onRecorded} />);
    fireEvent.click(recordButton());
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(recordButton());
    await vi.waitFor(() => expect(onRecorded).toHaveBeenCalled());
    expect(typeof keys[0]).toBe('string');
    expect(keys[1], 'the same outcome, recorded again').toBe(keys[0]);
  });

  it('names the customer in its title with the app\'s apostrophe, a name ending in s taking it alone (Wingtip Toys’ renewal)', () => {
    const toys = { ...item, customer: { id: 'c2', name: 'Wingtip Toys' } } as unknown as ForecastItem;
    render(<OutcomeDialog item={toys} forecastApi={{ recordOutcome: vi.fn() } as unknown as ForecastApi} onClose={() => {}} onRecorded={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Outcome of Wingtip Toys’ renewal' })).toBeTruthy();
  });
});
