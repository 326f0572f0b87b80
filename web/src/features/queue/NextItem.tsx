// After a workflow is finished: the next item of the caller's queue (lane, then priority),
// one click away, so a CSM moves through their day without going back to the list.
import { useWorkspace } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { Badge } from '../../components/Badges.tsx';
import { LANE_LABEL, LANE_TONE } from './lanes.ts';

export function NextItem({ finishedId }: { finishedId: string }) {
  const { api } = useWorkspace();
  const next = useAsync(async () => {
    const page = await api.getQueue({ page_size: 3 });
    return (page.items ?? []).find((item) => item.execution_id !== finishedId) ?? null;
  }, [api, finishedId]);
  return (
    <section className="panel next-item" aria-label="Next item">
      <h2>Done. What’s next?</h2>
      {next.loading ? <p className="muted">Finding your next item…</p> : null}
      {!next.loading && next.data ? (
        <p className="btn-row">
          <Badge tone={LANE_TONE[next.data.lane] ?? 'neutral'}>{LANE_LABEL[next.data.lane] ?? next.data.lane}</Badge>
          <span>{next.data.customer.name} · {next.data.workflow_name}</span>
          <Link href={paths.workflow(next.data.execution_id)} className="btn btn-primary" data-testid="next-item">Next item</Link>
        </p>
      ) : null}
      {!next.loading && !next.data && !next.error ? <p className="muted">Your queue is clear. <Link href={paths.queue}>Back to the queue</Link></p> : null}
      {next.error ? <p className="muted"><Link href={paths.queue}>Back to the queue</Link></p> : null}
    </section>
  );
}
