// @vitest-environment happy-dom
// The queue's Type filter offers the server's workflow types (list_workflow_types, read from
// the lookup table app.workflow_types) in its order and with its labels: a type added on the
// server appears with nothing changed in the web app. Stages, plans and lanes are the API's
// enums. Runs against the test stack.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { AccountPlan, QueueLane, RenewalStage } from '../../../../functions-shared/api/index.ts';
import { lookupRows, withAddedLookupEntry } from '../actions/stackWorkspace.tsx';
import { EMPTY_FILTER, toServerFilters } from './filterQueue.ts';
import { QueueFilters } from './QueueFilters.tsx';

const added = withAddedLookupEntry('app.workflow_types', 'Land and expand');

const optionsOf = (label: string) =>
  Array.from((screen.getByLabelText(label) as HTMLSelectElement).options).slice(1).map((option) => ({ key: option.value, label: option.textContent }));

describe('the queue filters', () => {
  it('offer the server\'s workflow types in the lookup\'s order with its labels, a newly added one too', async () => {
    const expected = await lookupRows('app.workflow_types');
    render(<QueueFilters filter={EMPTY_FILTER} onChange={() => undefined} />, { wrapper: added.signedIn.SignedIn });
    await waitFor(() => expect(optionsOf('Type')).toHaveLength(expected.length));
    expect(optionsOf('Type')).toEqual(expected);
    expect(expected.at(-1)).toEqual({ key: added.key, label: 'Land and expand' });
    // The new type is a filter the server accepts.
    const { error } = await added.signedIn.client.rpc('get_workflow_queue', { filters: toServerFilters({ ...EMPTY_FILTER, type: added.key }) });
    expect(error).toBeNull();
  });

  it('offer the API\'s stages, plans and lanes, in their order', async () => {
    render(<QueueFilters filter={EMPTY_FILTER} onChange={() => undefined} />, { wrapper: added.signedIn.SignedIn });
    expect(optionsOf('Stage').map((option) => option.key)).toEqual(RenewalStage.options);
    expect(optionsOf('Plan').map((option) => option.key)).toEqual(AccountPlan.options);
    expect(optionsOf('Lane')).toEqual([{ key: 'now', label: 'Now' }, { key: 'soon', label: 'Soon' }, { key: 'planned', label: 'Planned' }]);
    expect(QueueLane.options).toEqual(['now', 'soon', 'planned']);
  });
});
