// Scheduled jobs actually run on the local stack: pg_cron used to log in over TCP as the
// job's owner, which password authentication refused, so every job (the orchestrator, the
// chat reaper, the mail drain) failed with "connection failed" and nothing said so.
import { describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';

interface Run { jobname: string; status: string; return_message: string }

describe('pg_cron on the local stack', () => {
  it('runs the every-minute jobs to success', async () => {
    // The lease release, the chat reaper and the mail drain run every minute; wait for a tick.
    const deadline = Date.now() + 75_000;
    let runs: Run[] = [];
    while (Date.now() < deadline) {
      runs = await withDb(async (db) => (await db.query(
        `select j.jobname, d.status, d.return_message from cron.job_run_details d join cron.job j using (jobid)
          where j.schedule = '* * * * *' and d.status in ('succeeded', 'failed') order by d.start_time`)).rows);
      if (runs.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
  }, 90_000);
});
