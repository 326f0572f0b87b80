// One customer: everything known about them in one place (docs/web-app.md "Customer page").
// Other areas mount their parts here (e.g. contract documents) below the contracts section.
import { useWorkspace } from '../lib/context.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { ContextView } from '../features/context/ContextPanel.tsx';
import type { CustomerContext } from '../lib/types.ts';

export function CustomerPage({ customerId }: { customerId: string }) {
  const { api } = useWorkspace();
  const context = useAsync(async () => {
    const { data, error } = await api.client.rpc('get_customer_context', { customer_id: customerId });
    if (error) throw error;
    return data as unknown as CustomerContext;
  }, [api, customerId]);
  return (
    <div className="page customer-page">
      {context.loading && !context.data ? <LoadingState label="Loading the customer…" rows={6} /> : null}
      {context.error ? <ErrorState error={context.error} title="This customer could not be opened" onRetry={() => void context.reload()} /> : null}
      {context.data ? (
        <>
          <h1>{context.data.customer.name}</h1>
          <ContextView context={context.data} />
        </>
      ) : null}
    </div>
  );
}
