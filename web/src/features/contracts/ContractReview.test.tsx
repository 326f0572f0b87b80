// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ContractExtraction, ExtractedField } from '../../../../functions-shared/api/index.ts';
import type { ContractsApi } from './api.ts';
import { ContractReview } from './ContractReview.tsx';

afterEach(cleanup);

const field = (overrides: Partial<ExtractedField>): ExtractedField => ({
  key: 'notice_period_days', value: null, quote: null, page: null, confidence: 0, quote_discarded: false,
  status: 'proposed', confirmed_value: null, decided_by: null, decided_at: null, ...overrides,
});

const extraction: ContractExtraction = {
  id: 'x1', customer_id: 'c1', object_path: 'o/c1/msa.pdf', document_name: 'msa.pdf', model: 'renubu-patterns-1',
  page_count: 1, created_by: null, created_at: '2026-12-04T00:00:00Z', status: 'proposed',
  pages: ['2. Renewal\n2.2 Either party may give notice at least sixty (60)\ndays before the end of the term.\n3. Fees'],
  fields: [
    field({ key: 'notice_period_days', value: 60, quote: '2.2 Either party may give notice at least sixty (60) days before the end of the term.', page: 1, confidence: 0.85 }),
    field({ key: 'annual_value', quote_discarded: true }),
    field({ key: 'currency' }),
  ],
};

function setup(canEdit = true) {
  const confirm = vi.fn(async (_id: string, decisions: unknown[]) => ({
    ...extraction,
    fields: extraction.fields.map((f) => (f.key === 'notice_period_days' ? { ...f, status: 'confirmed' as const, confirmed_value: 60 } : f)),
    decisions,
  }));
  const onChanged = vi.fn();
  render(<ContractReview extraction={extraction} calls={{ confirm } as unknown as ContractsApi} canEdit={canEdit} onChanged={onChanged} onClose={() => {}} />);
  return { confirm, onChanged };
}

describe('the contract review', () => {
  it('shows each field beside its quote, highlighted in the page across the line break', () => {
    setup();
    const row = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'notice_period_days')!;
    expect(within(row).getByTestId('contract-field-value').textContent).toBe('60');
    expect(row.querySelector('mark')?.textContent).toBe('2.2 Either party may give notice at least sixty (60)\ndays before the end of the term.');
    expect(row.textContent).toContain('85% sure');
    expect(row.textContent).toContain('page 1');
  });

  it('says when a quote was discarded, and offers to enter the value by hand', () => {
    setup();
    const row = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'annual_value')!;
    expect(row.textContent).toContain('not in the document');
    expect(within(row).queryByRole('button', { name: 'Confirm' })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Enter value' })).toBeTruthy();
  });

  it('confirms one field with its proposed value, and corrects another with the typed one', async () => {
    const { confirm, onChanged } = setup();
    const row = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'notice_period_days')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(confirm).toHaveBeenCalledWith('x1', [{ key: 'notice_period_days', value: 60 }]);

    const currency = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'currency')!;
    fireEvent.click(within(currency).getByRole('button', { name: 'Enter value' }));
    fireEvent.change(within(currency).getByLabelText('Currency'), { target: { value: 'EUR' } });
    fireEvent.click(within(currency).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(confirm).toHaveBeenLastCalledWith('x1', [{ key: 'currency', value: 'EUR' }]));
  });

  it('puts Cancel before Save when a value is typed, as a dialog puts Cancel before its action', () => {
    setup();
    const currency = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'currency')!;
    fireEvent.click(within(currency).getByRole('button', { name: 'Enter value' }));
    expect(within(currency).getAllByRole('button').map((button) => button.textContent)).toEqual(['Cancel', 'Save']);
  });

  it('puts the focus on the notice once a typed value is saved, its form gone', async () => {
    setup();
    const currency = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'currency')!;
    fireEvent.click(within(currency).getByRole('button', { name: 'Enter value' }));
    fireEvent.change(within(currency).getByLabelText('Currency'), { target: { value: 'EUR' } });
    const save = within(currency).getByRole('button', { name: 'Save' });
    save.focus();
    fireEvent.click(save);
    await waitFor(() => expect(document.activeElement?.classList.contains('notice')).toBe(true));
  });

  it('puts the focus in the field when Correct opens its form, and back on Correct after Cancel', () => {
    setup();
    const notice = () => screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'notice_period_days')!;
    const correct = within(notice()).getByRole('button', { name: 'Correct' });
    correct.focus();
    fireEvent.click(correct);
    expect(document.activeElement, 'the field to correct').toBe(within(notice()).getByLabelText('Notice period (days)'));
    fireEvent.click(within(notice()).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement, 'Correct again, not the page').toBe(within(notice()).getByRole('button', { name: 'Correct' }));
  });

  it('says a typed value the contract cannot take beside its field, keeps the form and what was typed, and sends nothing', () => {
    const { confirm } = setup();
    const row = () => screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'notice_period_days')!;
    fireEvent.click(within(row()).getByRole('button', { name: 'Correct' }));
    const box = within(row()).getByLabelText('Notice period (days)') as HTMLInputElement;
    fireEvent.change(box, { target: { value: '2.5' } });
    fireEvent.click(within(row()).getByRole('button', { name: 'Save' }));
    const message = within(row()).getByRole('alert');
    expect(message.textContent).toBe('Enter a whole number of days from 0 to 3650.');
    expect(box.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(box);
    expect(box.value, 'what was typed stays').toBe('2.5');
    expect(box.form?.noValidate, 'not the browser\'s "Please enter a valid value"').toBe(true);
    expect(confirm).not.toHaveBeenCalled();
  });

  it('sends a currency typed in small letters as its code', async () => {
    const { confirm } = setup();
    const currency = screen.getAllByTestId('contract-field').find((li) => li.dataset.field === 'currency')!;
    fireEvent.click(within(currency).getByRole('button', { name: 'Enter value' }));
    fireEvent.change(within(currency).getByLabelText('Currency'), { target: { value: ' eur ' } });
    fireEvent.click(within(currency).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(confirm).toHaveBeenLastCalledWith('x1', [{ key: 'currency', value: 'EUR' }]));
  });

  it('names the built-in reader in words, as a chat answer ("Answered by built-in offline model") does, never by its id', () => {
    setup();
    expect(screen.getByText(/^Read by /).textContent).toMatch(/^Read by built-in offline model from \d+ pages?\./);
    expect(document.body.textContent).not.toContain('renubu-patterns-1');
  });

  it('shows no decision buttons to a viewer', () => {
    setup(false);
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Confirm all/ })).toBeNull();
  });
});
