import Decimal from 'decimal.js';
import type { PlatformCallResult, PlatformClient } from '@yb/platform-client';
import { PlatformSimProcess, withClient } from '@yb/testing';
import type { LedgerRequest } from '../src/ledger/ledger-state';
import { startPlatformSim } from '../src/sim.bootstrap';
import { EXAMPLE_PSN_NO, exampleInput, SimClientKit, withFields } from './sim-client-kit';

// The sandbox's books live in PostgreSQL: a sandbox started again on the same schema carries on as the
// platform would (visits, fee lines, settlements, balances, used msgids, issued ids); /sim/reset clears them.

const CALL = { visitKey: 'ZY20240506001', insuplc_admdvs: '420100' };
const SECOND_PSN_NO = '42000000000000000000023456';
const SECOND_CERTNO = '420106195202280024';

/** The 10-digit serial at the end of an mdtrt_id or setl_id. */
const serialOf = (id: string) => Number(id.slice(-10));

describe('platform-sim books survive a restart', () => {
  const kit = new SimClientKit();
  let client: PlatformClient;

  beforeAll(() => kit.start('sim_books'));
  afterAll(() => kit.stop());
  beforeEach(async () => {
    await kit.admin('POST', '/sim/reset');
    client = await kit.client();
  });

  async function ok<T>(infno: string, input: unknown): Promise<T> {
    const result = (await client.call(infno, input, CALL)) as PlatformCallResult;
    if (result.status !== 'SUCCEEDED') throw new Error(`${infno}: ${JSON.stringify(result)}`);
    return result.output as T;
  }
  async function refusal(infno: string, input: unknown): Promise<string> {
    const result = (await client.call(infno, input, CALL)) as PlatformCallResult;
    if (result.status !== 'REJECTED')
      throw new Error(`${infno} expected REJECTED: ${JSON.stringify(result)}`);
    return result.err_msg;
  }
  const admit = async (input = exampleInput('2401')) =>
    (await ok<{ result: { mdtrt_id: string } }>('2401', input)).result.mdtrt_id;
  const balance = async () =>
    new Decimal((await ok<{ insuinfo: { balc: string }[] }>('1101', exampleInput('1101'))).insuinfo[0]!.balc);
  /** Fees (43.20), discharge and the discharge settlement of a visit: its setl_id and account payment. */
  async function settle(mdtrt_id: string): Promise<{ setl_id: string; acct_pay: Decimal }> {
    await ok('2301', exampleInput('2301', { mdtrt_id }));
    await ok('2402', exampleInput('2402', { mdtrt_id }));
    const { setlinfo } = await ok<{ setlinfo: { setl_id: string; acct_pay: string } }>(
      '2304',
      withFields(exampleInput('2304', { mdtrt_id }), 'data', { medfee_sumamt: '43.20' }),
    );
    return { setl_id: setlinfo.setl_id, acct_pay: new Decimal(setlinfo.acct_pay) };
  }
  /** The request as the sandbox's log recorded it. */
  const recorded = (msgid: string) =>
    withClient(kit.simSchema.databaseUrl, async (c) => {
      const { rows } = await c.query<{ request: LedgerRequest }>(
        `SELECT request FROM "${kit.simSchema.schema}".ledger_entries WHERE msgid = $1`,
        [msgid],
      );
      return rows[0]!.request;
    });
  /** Sends a request again, the same msgid and input, as a raw envelope. */
  async function resend(request: LedgerRequest): Promise<{ infcode: number; err_msg: string }> {
    const response = await fetch(`${kit.sim.url}/fsi/api/rsfComIfsService/callService`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...request,
        recer_sys_code: 'MDY32',
        infver: 'V1.0',
        opter_type: '1',
        opter: 'OP001',
        opter_name: '张收费',
        inf_time: '2024-05-15 09:30:00',
      }),
    });
    return (await response.json()) as { infcode: number; err_msg: string };
  }

  it('carries on after a restart: visits take fee lines, used msgids stay used, ids and balances go on', async () => {
    const balanceBefore = await balance();
    const first = await admit();
    const firstSettlement = await settle(first);
    const visitBefore = await admit(); // registered before the restart, no fees yet
    const admission = await recorded((await kit.visit(first)).registration.msgid);

    await kit.restartSim();

    // The balance the first settlement left, and the visit registered before the restart takes fee lines.
    expect(await balance()).toEqual(balanceBefore.minus(firstSettlement.acct_pay));
    expect((await kit.visit(visitBefore)).registration.status).toBe('admitted');
    const secondSettlement = await settle(visitBefore);
    expect((await kit.visit(visitBefore)).registration.status).toBe('settled');
    expect(secondSettlement.setl_id).not.toBe(firstSettlement.setl_id);
    expect(serialOf(secondSettlement.setl_id)).toBeGreaterThan(serialOf(firstSettlement.setl_id));
    expect(await balance()).toEqual(
      balanceBefore.minus(firstSettlement.acct_pay).minus(secondSettlement.acct_pay),
    );

    // A 2401 after the restart gets an mdtrt_id never issued before.
    const another = await admit(
      withFields(exampleInput('2401'), 'mdtrtinfo', {
        psn_no: SECOND_PSN_NO,
        mdtrt_cert_no: SECOND_CERTNO,
        ipt_no: 'ZY20240515002',
      }),
    );
    expect([first, visitBefore]).not.toContain(another);
    expect(serialOf(another)).toBeGreaterThan(serialOf(visitBefore));

    // The msgid of the first 2401, sent again after the restart, is a duplicate.
    expect(await resend(admission)).toMatchObject({
      infcode: -1,
      err_msg: expect.stringContaining('重复'),
    });
    expect((await kit.ledger()).registrations.map((r) => r.mdtrt_id).sort()).toEqual(
      [first, visitBefore, another].sort(),
    );
  });

  it('POST /sim/reset clears the persisted books: after a restart the old visit is unknown, its msgid free', async () => {
    const before = await admit();
    const admission = await recorded((await kit.visit(before)).registration.msgid);
    expect((await kit.admin('POST', '/sim/reset')).status).toBe(204);

    await kit.restartSim();
    client = await kit.client(); // signed in again: the reset forgot the sign-in too

    expect((await kit.ledger()).registrations).toEqual([]);
    expect(await refusal('2301', exampleInput('2301', { mdtrt_id: before }))).toContain('住院登记信息不存在');
    // The msgid is no longer used, and the ids go on from where they were: never one issued again.
    const signIn = (await kit.ledger()).signIns.find((s) => !s.signed_out)!;
    expect(await resend({ ...admission, sign_no: signIn.sign_no })).toMatchObject({ infcode: 0 });
    const after = (await kit.ledger()).registrations.map((r) => r.mdtrt_id);
    expect(after).toHaveLength(1);
    expect(serialOf(after[0]!)).toBeGreaterThan(serialOf(before));
    expect(await balance()).toEqual(new Decimal('3350.40'));
  });

  it('refuses to start on books whose recorded answers the rules no longer give, unless told to go on', async () => {
    await admit();
    const port = Number(new URL(kit.sim.url).port);
    await kit.sim.close();
    // As if the rules had changed since: the recorded answer of the 2401 is not what they answer now.
    await withClient(kit.simSchema.databaseUrl, (c) =>
      c.query(
        `UPDATE "${kit.simSchema.schema}".ledger_entries SET answer = '{"infcode":0,"output":{"result":{"mdtrt_id":"X"}}}'
          WHERE infno = '2401'`,
      ),
    );
    const books = { databaseUrl: kit.simSchema.databaseUrl, schema: kit.simSchema.schema };
    await expect(
      startPlatformSim({ port: 0, books: { ...books, acceptReplayMismatch: false } }),
    ).rejects.toThrow(
      /1 of the \d+ transactions recorded in schema .* answer differently .*msgid \w+ \(2401\): success with another output.*PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH=true/,
    );

    const going = await startPlatformSim({ port: 0, books: { ...books, acceptReplayMismatch: true } });
    try {
      const ledger = (await (await fetch(`${going.url}/sim/ledger`)).json()) as { registrations: unknown[] };
      expect(ledger.registrations).toHaveLength(1);
    } finally {
      await going.close();
      kit.sim = await startPlatformSim({ port, books: { ...books, acceptReplayMismatch: true } });
    }
  });

  it('answers nothing it could not record, and forgets it: the books are read back from the log', async () => {
    const table = `"${kit.simSchema.schema}".ledger_entries`;
    await admit(); // the first write of this test: the sandbox is taking transactions
    await withClient(kit.simSchema.databaseUrl, (c) =>
      c.query(`ALTER TABLE ${table} ADD CONSTRAINT books_full CHECK (infno <> '2401') NOT VALID`),
    );
    const admitting = client.call(
      '2401',
      withFields(exampleInput('2401'), 'mdtrtinfo', { psn_no: SECOND_PSN_NO, mdtrt_cert_no: SECOND_CERTNO }),
      CALL,
    ) as Promise<PlatformCallResult>;
    const outcome = await admitting;
    expect(outcome.status).not.toBe('SUCCEEDED');
    await withClient(kit.simSchema.databaseUrl, (c) =>
      c.query(`ALTER TABLE ${table} DROP CONSTRAINT books_full`),
    );

    // Read back (retried every second), the ledger holds only what the log holds: one visit, not two.
    const deadline = Date.now() + 10_000;
    let registrations: { psn_no: string }[];
    for (;;) {
      const accepting = (await client.call('1101', exampleInput('1101'), CALL)) as PlatformCallResult;
      if (accepting.status === 'SUCCEEDED') {
        registrations = (await kit.ledger()).registrations;
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`the books were not read back: ${JSON.stringify(accepting)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(registrations.map((r) => r.psn_no)).toEqual([EXAMPLE_PSN_NO]);
  });
});

describe('platform-sim process killed (SIGKILL) and started again on its books', () => {
  const kit = new SimClientKit();
  let sim: PlatformSimProcess;

  beforeAll(async () => {
    await kit.start('sim_books_kill');
    sim = await PlatformSimProcess.start();
  });
  afterAll(async () => {
    await sim.stop();
    await kit.stop();
  });

  it('carries on with what it answered before the crash, and stop() drops its throw-away books', async () => {
    const client = await kit.client({ baseUrl: sim.url });
    const ok = async <T>(infno: string, input: unknown): Promise<T> => {
      const result = (await client.call(infno, input, CALL)) as PlatformCallResult;
      if (result.status !== 'SUCCEEDED') throw new Error(`${infno}: ${JSON.stringify(result)}`);
      return result.output as T;
    };
    const { mdtrt_id } = (await ok<{ result: { mdtrt_id: string } }>('2401', exampleInput('2401'))).result;

    await sim.restart('SIGKILL');

    await ok('2301', exampleInput('2301', { mdtrt_id }));
    const second = await ok<{ result: { mdtrt_id: string } }>(
      '2401',
      withFields(exampleInput('2401'), 'mdtrtinfo', { psn_no: SECOND_PSN_NO, mdtrt_cert_no: SECOND_CERTNO }),
    );
    expect(serialOf(second.result.mdtrt_id)).toBeGreaterThan(serialOf(mdtrt_id));
    const visit = await sim.admin<{ uploadedTotal: string }>('GET', `/sim/ledger/visits/${mdtrt_id}`);
    expect(visit.uploadedTotal).toBe('43.20');

    await sim.stop();
    const schemas = await withClient(kit.schema.databaseUrl, (c) =>
      c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [sim.schema]),
    );
    expect(schemas.rowCount).toBe(0);
    sim = await PlatformSimProcess.start(); // for afterAll
  });
});
