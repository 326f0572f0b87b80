// Record outcome on a renewal workflow's own page. A CSM works a renewal step by step up to
// "Record the outcome"; the outcome itself (renewed, downgraded, churned, with the new ARR) was
// offered only on the Forecast page, so a CSM who completed the workflow left the renewal open:
// the customer stayed "renews in 5 days", in its stage, its ARR unchanged. The same dialog and
// the same server rule (record_renewal_outcome) as the Forecast page: recording it sets the
// ARR, moves the renewal date on and completes the workflow (docs/forecast-and-retention.md).
import { useMemo, useState } from 'react';
import { mayWorkOn, useWorkspace } from '../../lib/context.ts';
import type { WorkflowExecution } from '../../lib/types.ts';
import { forecastApi } from './api.ts';
import { OutcomeDialog } from './OutcomeDialog.tsx';

/** The states in which a renewal workflow is the renewal's open one (escalated is on hold). */
const OPEN_STATUSES: readonly string[] = ['queued', 'in_progress', 'snoozed'];

export function RecordRenewalOutcome({ execution, onRecorded }: {
  execution: WorkflowExecution;
  /** Called once recorded, with what was recorded in words ("Contoso: renewed at $95,000."). */
  onRecorded: (said: string) => void;
}) {
  const { api, profile } = useWorkspace();
  const fapi = useMemo(() => forecastApi(api), [api]);
  const [open, setOpen] = useState(false);
  if (execution.workflow_type !== 'renewal' || !OPEN_STATUSES.includes(execution.status)) return null;
  if (!mayWorkOn(profile, execution.assignee_id)) return null;
  const renewal = {
    execution_id: execution.id,
    current_arr: execution.customer.arr ?? 0,
    customer: { id: execution.customer.id, name: execution.customer.name },
  };
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>Record outcome</button>
      {open ? (
        <OutcomeDialog item={renewal} forecastApi={fapi} onClose={() => setOpen(false)}
          onRecorded={(said) => { setOpen(false); onRecorded(said); }} />
      ) : null}
    </>
  );
}
