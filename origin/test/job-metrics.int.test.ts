// vidra_jobs{kind,state} and the oldest queued job's age on /metrics equal the jobs table's own counts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/index.js';
import { createTestApp, TEST_CONFIG, type TestApp } from './harness.js';

const OPERATOR = { headers: { authorization: `Bearer ${TEST_CONFIG.internalApiToken}` } };
const STATE_NAMES: Record<string, string> = { pending: 'queued', leased: 'running' };

describe('job queue metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('reports every kind and state, equal to the database, and the oldest queued age', async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await t.database.db.insert(jobs).values([
      { kind: 'transcode', state: 'pending', createdAt: minutesAgo(7) },
      { kind: 'transcode', state: 'pending', createdAt: minutesAgo(1) },
      { kind: 'transcode', state: 'leased' },
      { kind: 'transcode', state: 'failed' },
      { kind: 'cleanup', state: 'succeeded' },
    ]);
    const res = await t.call('GET', '/metrics', OPERATOR);
    expect(res.status).toBe(200);
    const text = res.body as string;
    const rows = (await t.database.db.execute(
      sql`select kind, state::text as state, count(*)::int as n from jobs group by 1, 2`,
    )) as unknown as { rows?: Array<{ kind: string; state: string; n: number }> };
    const counted = Array.from(
      rows.rows ?? (rows as unknown as Array<{ kind: string; state: string; n: number }>),
    );
    expect(counted.length).toBeGreaterThanOrEqual(4);
    for (const row of counted)
      expect(text).toContain(
        `vidra_jobs{kind="${row.kind}",state="${STATE_NAMES[row.state] ?? row.state}"} ${row.n}`,
      );
    expect(text).toContain('vidra_jobs{kind="transcode",state="queued"} 2');
    // Zeros are reported too: a drained queue reads 0 instead of disappearing from the autoscaler.
    expect(text).toContain('vidra_jobs{kind="live",state="queued"} 0');
    const age = Number(/vidra_jobs_oldest_queued_age_seconds\{kind="transcode"\} ([\d.]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(7 * 60 - 1);
    expect(age).toBeLessThan(7 * 60 + 30);
    expect(text).toContain('vidra_jobs_oldest_queued_age_seconds{kind="cleanup"} 0');
  });
});
