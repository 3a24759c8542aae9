import { type Pool } from 'pg';
import { type DataSource } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { type CallOutcome } from '../src/call-outcome';
import { type RequestEnvelope } from '../src/envelope';
import { PlatformCallJournal, type PendingCall } from '../src/journal/platform-call-journal';
import { PlatformClient } from '../src/platform-client';
import { gatewaySignerFor } from '../src/transport/gateway-signers';
import { HttpTransport } from '../src/transport/http-transport';
import { TransportFailure, type PlatformTransport } from '../src/transport/platform-transport';
import { admissionInput, scriptedPlatform, testClientConfig } from './client-test-kit';
import { journalDataSource } from './journal-data-source';
import { type ScriptedPlatform } from './scripted-platform';

const PSN_NO = '42000000000000000888';

const pendingCall = (n: number, requestKey?: string): PendingCall => {
  const msgid = `H4201020000120260102090000${String(n).padStart(4, '0')}`;
  return {
    msgid,
    callId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    attempt: 1,
    infno: '2301',
    psn_no: `${PSN_NO.slice(0, -2)}${String(n).padStart(2, '0')}`,
    visitKey: `IPT-G${n}`,
    requestKey,
    request: { infno: '2301', msgid, input: { n } } as unknown as RequestEnvelope,
  };
};

const answered = (n: number): CallOutcome => ({
  status: 'SUCCEEDED',
  infcode: 0,
  response: { infcode: 0, output: { result: [{ n }] } } as never,
});

describe('the platform call journal writes concurrent calls in groups (PostgreSQL)', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  /** Another pool on the same schema: what another process (or this one after a crash) would read. */
  let elsewhere: DataSource;

  beforeAll(async () => {
    schema = await createTestSchema('pclient_groups');
    dataSource = await journalDataSource(schema, 3);
    elsewhere = await journalDataSource(schema, 1);
  });

  afterAll(async () => {
    await elsewhere.destroy();
    await dataSource.destroy();
    await schema.drop();
  });

  /** The statements the journal sends to its pool from now on. */
  const statementsSent = () => {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    const spy = jest.spyOn(pool, 'query');
    return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
  };

  it("writes the rows of calls made while a write is in flight as one statement, each call's row its own", async () => {
    const journal = new PlatformCallJournal(dataSource);
    const calls = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => pendingCall(n, `fee-IPT-G${n}#1`));
    const statements = statementsSent();
    try {
      await Promise.all(calls.map((call) => journal.recordPending(call, { unlessRequestSent: true })));
      // The first went alone at once; the seven asked for while it was in flight, together.
      expect(statements.count()).toBe(2);
      await Promise.all(calls.map((call, i) => journal.recordOutcome(call.msgid, answered(i + 1))));
      expect(statements.count()).toBe(4);
    } finally {
      statements.restore();
    }

    const reader = new PlatformCallJournal(elsewhere);
    for (const [i, call] of calls.entries()) {
      expect(await reader.find(call.msgid)).toMatchObject({
        status: 'SUCCEEDED',
        infcode: 0,
        callId: call.callId,
        psn_no: call.psn_no,
        visitKey: call.visitKey,
        requestKey: call.requestKey,
        request: call.request,
        response: { output: { result: [{ n: i + 1 }] } },
      });
    }
  });

  it("answers a call under a request key already journaled with that key's attempt and writes nothing for it", async () => {
    const journal = new PlatformCallJournal(dataSource);
    const first = pendingCall(20, 'fee-IPT-G20#1');
    expect(await journal.recordPending(first, { unlessRequestSent: true })).toBeNull();

    const again = { ...pendingCall(21, 'fee-IPT-G20#1'), visitKey: first.visitKey };
    const fresh = pendingCall(22, 'fee-IPT-G22#1');
    const retry = { ...pendingCall(23, 'fee-IPT-G20#1'), attempt: 2 };
    const [sentBefore, notSent, retried] = await Promise.all([
      journal.recordPending(again, { unlessRequestSent: true }),
      journal.recordPending(fresh, { unlessRequestSent: true }),
      // A resend within one call (attempt 2) is journaled under the same key.
      journal.recordPending(retry),
    ]);
    expect(sentBefore).toMatchObject({ msgid: first.msgid, status: 'PENDING', psn_no: first.psn_no });
    expect(notSent).toBeNull();
    expect(retried).toBeNull();
    expect(await journal.find(again.msgid)).toBeNull();
    expect(await journal.find(fresh.msgid)).toMatchObject({ status: 'PENDING' });
    expect(await journal.find(retry.msgid)).toMatchObject({ status: 'PENDING', attempt: 2 });
  });

  it('fails only the outcome of a row that moved meanwhile; the others of its group are recorded', async () => {
    const journal = new PlatformCallJournal(dataSource);
    const calls = [31, 32, 33].map((n) => pendingCall(n));
    await Promise.all(calls.map((call) => journal.recordPending(call)));
    // Seeded fault: recovery took the second call for dead (PENDING → UNKNOWN) before its answer came.
    expect(await journal.markInterrupted(calls[1].msgid, 0)).toBe(true);

    const blocking = journal.recordOutcome(calls[0].msgid, answered(31));
    const group = [
      journal.recordOutcome(calls[1].msgid, answered(32)),
      journal.recordOutcome(calls[2].msgid, { status: 'UNKNOWN', reason: 'timeout after 3000 ms' }),
    ];
    await blocking;
    await expect(group[0]).rejects.toThrow(`journal row ${calls[1].msgid} is UNKNOWN, expected PENDING`);
    await expect(group[1]).resolves.toBeUndefined();
    expect(await journal.find(calls[1].msgid)).toMatchObject({ status: 'UNKNOWN', response: null });
    expect(await journal.find(calls[2].msgid)).toMatchObject({
      status: 'UNKNOWN',
      unknownReason: 'timeout after 3000 ms',
      response: null,
      infcode: null,
    });
  });

  it("keeps a group's missing values SQL NULL, not JSON's null, and each row's own values", async () => {
    const journal = new PlatformCallJournal(dataSource);
    const calls = [41, 42, 43, 44].map((n) => pendingCall(n));
    calls[0] = { ...calls[0]!, psn_no: undefined };
    await Promise.all(calls.map((call) => journal.recordPending(call)));
    await Promise.all([
      journal.recordOutcome(calls[0]!.msgid, answered(41)),
      journal.recordOutcome(calls[1]!.msgid, {
        status: 'REJECTED',
        infcode: -1,
        err_msg: '人员"未"参保\\',
      } as never),
      journal.recordOutcome(calls[2]!.msgid, { status: 'UNKNOWN', reason: 'timeout after 3000 ms' }),
      journal.recordOutcome(calls[3]!.msgid, answered(44)),
    ]);
    const { tableName, schema: tableSchema } = dataSource.getRepository('PlatformCallRecord').metadata;
    const stored = (column: string) =>
      `CASE WHEN ${column} IS NULL THEN 'NULL' WHEN jsonb_typeof(${column}) = 'null' THEN 'JSON null' ELSE 'value' END AS ${column}`;
    const rows = await dataSource.query(
      `SELECT ${['psn_no', 'request', 'err_msg', 'response', 'unknown_reason'].map(stored).join(', ')}
       FROM "${tableSchema}"."${tableName}" WHERE msgid = ANY($1) ORDER BY msgid`,
      [calls.map((c) => c.msgid)],
    );
    const [NULL, value] = ['NULL', 'value'];
    expect(rows).toEqual([
      { psn_no: NULL, request: value, err_msg: NULL, response: value, unknown_reason: NULL },
      { psn_no: value, request: value, err_msg: value, response: NULL, unknown_reason: NULL },
      { psn_no: value, request: value, err_msg: NULL, response: NULL, unknown_reason: value },
      { psn_no: value, request: value, err_msg: NULL, response: value, unknown_reason: NULL },
    ]);
    expect(await journal.find(calls[1]!.msgid)).toMatchObject({
      status: 'REJECTED',
      err_msg: '人员"未"参保\\',
    });
    expect(await journal.find(calls[3]!.msgid)).toMatchObject({
      response: { infcode: 0, output: { result: [{ n: 44 }] } },
    });
  });

  describe('through the client', () => {
    let platform: ScriptedPlatform;
    let baseUrl: string;

    beforeEach(async () => {
      platform = scriptedPlatform();
      baseUrl = await platform.start();
    });

    afterEach(async () => {
      await platform.close();
    });

    it('has every call journaled, committed, before its request goes out: a process dying at the send leaves the rows', async () => {
      const config = testClientConfig(baseUrl, schema.schema);
      const http = new HttpTransport({
        baseUrl: config.baseUrl,
        endpointMode: config.endpointMode,
        servicePaths: config.servicePaths,
        signer: gatewaySignerFor(config.gateway),
      });
      const reader = new PlatformCallJournal(elsewhere);
      const seenAtSend: unknown[] = [];
      const dyingAtSend: PlatformTransport = {
        async send(request) {
          if (request.infno !== '2401') return http.send(request);
          // What another process reads while the request is on its way out: the call's own row, PENDING.
          const { msgid } = JSON.parse(request.body) as { msgid: string };
          seenAtSend.push((await reader.find(msgid))?.status);
          throw new TransportFailure('connection', 'the process died here');
        },
      };
      const client = new PlatformClient({ config, dataSource, transport: dyingAtSend });
      await client.start();
      const visits = ['IPT-C1', 'IPT-C2', 'IPT-C3', 'IPT-C4'];
      const results = await Promise.all(
        visits.map((ipt_no, i) =>
          client.call(
            '2401',
            admissionInput(ipt_no, { psn_no: PSN_NO, mdtrt_cert_no: `42010219900101${1230 + i}` }),
            { visitKey: ipt_no, insuplc_admdvs: '420200', requestKey: `visit-${ipt_no}#1` },
          ),
        ),
      );
      expect(seenAtSend).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
      for (const [i, result] of results.entries()) {
        expect(result.status).toBe('UNKNOWN');
        expect(await reader.find(result.msgid)).toMatchObject({ visitKey: visits[i], status: 'UNKNOWN' });
      }
      await client.stop();
    });
  });
});
