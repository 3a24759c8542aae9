import { type PlatformClient } from '@yb/platform-client';
import { dayWindow, HubeiSettlementWindow } from './settlement-window';
import { PlatformUnavailable } from './statement-calls';

// The adapter's paging and reading, against answers given as the platform client would parse them: the
// sandbox's 5262 / 5267 themselves are tested with the ledger (apps/platform-sim) and the service end to end.

const row = (setl_id: string, extra: Record<string, unknown> = {}) => ({
  setl_id,
  mdtrt_id: `M-${setl_id}`,
  psn_no: 'P001',
  insutype: '310',
  setl_time: '2024-05-15 10:00:00',
  clr_type: '21',
  clr_optins: '420500',
  medfee_sumamt: '100.1',
  fund_pay_sumamt: '80',
  acct_pay: '0',
  medins_setl_id: `MSG-${setl_id}`,
  ...extra,
});

/** A client answering each page in turn; the pages asked are kept. */
function clientAnswering(answers: unknown[]) {
  const asked: { infno: string; page_num: number; page_size: number }[] = [];
  const client = {
    call: async (infno: string, input: { data: { page_num: number; page_size: number } }) => {
      asked.push({ infno, page_num: input.data.page_num, page_size: input.data.page_size });
      const answer = answers[asked.length - 1];
      return typeof answer === 'string'
        ? { status: 'REJECTED', infno, msgid: 'M', attempts: 1, infcode: -1, err_msg: answer }
        : answer === undefined
          ? { status: 'UNKNOWN', infno, msgid: 'M', attempts: 1, reason: 'timeout' }
          : {
              status: 'SUCCEEDED',
              infno,
              msgid: 'M',
              attempts: 1,
              infcode: 0,
              output: answer,
              warn_msg: null,
            };
    },
  } as unknown as PlatformClient;
  return { client, asked };
}

describe('HubeiSettlementWindow (5262 / 5267)', () => {
  const window = dayWindow('2024-05-15');

  it('reads every page up to totalPage, a row listed twice once, amounts to the fen', async () => {
    const { client, asked } = clientAnswering([
      { totalPage: '2', setlinfo: [row('S1'), row('S2')] },
      { totalPage: '2', setlinfo: [row('S2'), row('S3', { refd_setl_flag: '1', medfee_sumamt: '-5' })] },
    ]);
    const answer = await new HubeiSettlementWindow(client, '420100', 2).list('5267', window);
    expect(asked).toEqual([
      { infno: '5267', page_num: 1, page_size: 2 },
      { infno: '5267', page_num: 2, page_size: 2 },
    ]);
    expect(answer.kind).toBe('answered');
    const rows = answer.kind === 'answered' ? answer.value : [];
    expect(rows.map((r) => r.setl_id)).toEqual(['S1', 'S2', 'S3']);
    expect(rows[0]).toMatchObject({
      setl_optins: '420500',
      refd_setl_flag: '0',
      msgid: 'MSG-S1',
      amounts: { medfee_sumamt: '100.10', fund_pay_sumamt: '80.00', acct_pay: '0.00' },
    });
    expect(rows[2]).toMatchObject({ refd_setl_flag: '1', amounts: { medfee_sumamt: '-5.00' } });
  });

  it('stops at a short page when no totalPage is given', async () => {
    const { client, asked } = clientAnswering([
      { setlinfo: [row('S1'), row('S2')] },
      { setlinfo: [row('S3')] },
    ]);
    const answer = await new HubeiSettlementWindow(client, '420100', 2).list('5262', window);
    expect(asked).toHaveLength(2);
    expect(answer.kind === 'answered' && answer.value.length).toBe(3);
  });

  it('places a 5262 row without an agency in our own area, and refuses a 5267 that names none', async () => {
    const noAgency = row('S1', { clr_optins: undefined });
    const local = await new HubeiSettlementWindow(
      clientAnswering([{ setlinfo: [noAgency] }]).client,
      '420100',
    ).list('5262', window);
    expect(local.kind === 'answered' && local.value[0].setl_optins).toBe('420100');
    const elsewhere = await new HubeiSettlementWindow(
      clientAnswering([{ setlinfo: [{ ...noAgency, insu_admdvs: '420500' }] }]).client,
      '420100',
    ).list('5267', window);
    expect(elsewhere.kind === 'answered' && elsewhere.value[0].setl_optins).toBe('420500');
    const unplaced = await new HubeiSettlementWindow(
      clientAnswering([{ setlinfo: [noAgency] }]).client,
      '420100',
    ).list('5267', window);
    expect(unplaced).toEqual({ kind: 'refused', reason: '5267 listed settlement S1 without clr_optins' });
  });

  it("records the platform's refusal, and leaves a call without an answer to the worker", async () => {
    const refused = await new HubeiSettlementWindow(clientAnswering(['无此交易']).client, '420100').list(
      '5262',
      window,
    );
    expect(refused).toEqual({ kind: 'refused', reason: '5262 refused (-1): 无此交易' });
    await expect(
      new HubeiSettlementWindow(clientAnswering([]).client, '420100').list('5262', window),
    ).rejects.toThrow(PlatformUnavailable);
  });
});
