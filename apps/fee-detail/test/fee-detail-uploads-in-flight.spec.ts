import { waitFor, withClient } from '@yb/testing';
import { FeeDetailHarness } from './support/fee-detail-harness';
import { BED, line } from './support/test-fees';

// The uploader's visits wait on the platform, not on the database pool: a run borrows a connection for each of
// its statements and holds none while its 2301 is answered, so FEE_DETAIL_UPLOAD_CONCURRENCY is not tied to
// DATABASE_POOL_SIZE. Seen failing with the run holding a connection of its own throughout (at most the pool's
// 4 visits in flight, the others waiting for a connection).

const VISITS = 8;
const POOL = 4;
// Long enough that every visit's 2301 is sent while the first ones are still unanswered.
const PLATFORM_LATENCY_MS = 8_000;

describe('fee-detail uploads in flight beyond the database pool', () => {
  const h = new FeeDetailHarness();

  beforeAll(
    () =>
      h.start('fee_in_flight', {
        batchSize: 50,
        timeoutMs: 30_000,
        uploadConcurrency: VISITS,
        poolSize: POOL,
        // Persons the simulator does not know are enrolled by their 2401 (one person per visit).
        simEnv: { PLATFORM_SIM_ENROL_UNKNOWN: 'true' },
      }),
    120_000,
  );
  afterAll(() => h.stop(), 60_000);

  const pending2301s = () =>
    withClient(h.schema.databaseUrl, async (c) => {
      const { rows } = await c.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM "${h.schema.schema}".platform_call_journal
          WHERE infno = '2301' AND status = 'PENDING'`,
      );
      return rows[0].pending;
    });

  it(`has ${VISITS} visits' 2301s waiting on the platform at once with a pool of ${POOL} connections`, async () => {
    const visits = Array.from({ length: VISITS }, (_, i) => ({
      ipt_no: `ZY-IF-${i}`,
      psn_no: `4200000000000000000077000${i}`,
    }));
    for (const { ipt_no, psn_no } of visits)
      await h.admit(ipt_no, { psn_no, insutype: '310', insuplc_admdvs: '420100' });
    await h.sim.admin('POST', '/sim/faults', {
      infno: '2301',
      mode: 'latency',
      latencyMs: PLATFORM_LATENCY_MS,
      times: VISITS,
    });
    for (const { ipt_no } of visits)
      await h.publish('FeeLinesCharged', ipt_no, { ipt_no, lines: [line(`${ipt_no}-1`, 1, BED, '1', '50')] });

    const mostPending = await waitFor(
      `${VISITS} 2301s unanswered at once`,
      async () => {
        const pending = await pending2301s();
        return pending === VISITS ? pending : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(mostPending).toBe(VISITS);
    for (const { ipt_no } of visits)
      await waitFor(`${ipt_no}'s line acknowledged`, () => h.resultsOf('FeeLinesUploaded', ipt_no)[0], {
        timeoutMs: 60_000,
      });
    expect(await pending2301s()).toBe(0);
  }, 180_000);
});
