// "Change CSM" on a customer page, for managers and admins: the customer goes to another CSM
// with a reason (reassign_customer); its open workflows and the open tasks its CSM held follow, and the new
// and previous CSM are each told once (docs/escalation-loop.md "Who may do what").
import { useMemo, useState } from 'react';
import { isManager, useWorkspace } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { canTakeWork } from '../../lib/people.ts';
import { ReasonDialog } from '../escalation/ReasonDialog.tsx';
import { useNewAssignee } from '../escalation/useNewAssignee.tsx';
import { customerApi } from './api.ts';

export function ChangeCsm({ customerId, customerName, csmId, onChanged }: {
  customerId: string;
  customerName: string;
  csmId: string | null;
  onChanged: (notice: string) => void;
}) {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const manager = isManager(profile);
  const [open, setOpen] = useState(false);
  const team = useAsync(async () => (manager ? api.listTeamMembers() : []), [api, manager]);
  const candidates = (team.data ?? []).filter((member) => canTakeWork(member) && member.id !== csmId);
  const { assignee, field, check, reset } = useNewAssignee(candidates, { autoFocus: true, label: 'New CSM', missing: 'Choose who becomes the CSM.' });
  if (!manager) return null;
  return (
    <>
      <button type="button" className="btn" onClick={() => { reset(); setOpen(true); }}>Change CSM</button>
      {open ? (
        <ReasonDialog title={`Hand ${customerName} to another CSM`} label="Reason" missingMessage="Give a reason; the new CSM sees it." submitLabel="Hand over"
          intro={<p>The new CSM takes the customer, its open workflows and the open tasks its CSM held; each of you is notified once.</p>}
          check={check}
          onClose={() => setOpen(false)}
          onSubmit={async (reason) => {
            // Under the key of the same hand-over left unanswered: sent again after a lost
            // answer, the server answers the one it made, with its words.
            const done = await sendOnce(`${profile.id}:reassign_customer:${customerId}`, { assignee, reason }, newId(),
              (key) => calls.reassignCustomer(customerId, assignee, reason, key));
            setOpen(false);
            onChanged(`Handed ${customerName} to ${done.assignee_name}.`);
          }}>
          {field}
        </ReasonDialog>
      ) : null}
    </>
  );
}
