import { SettlementRequestedV2 } from '@yb/contracts';
import { type SettlementRequest } from '../saga/saga.commands';
import { initialSagaState, type Saga, type SagaState } from '../saga/saga.state';
import { inputOf } from './settlement-calls';

// An e-voucher admission: the token scanned on admission day has long expired at discharge.
const visit: SagaState['visit'] = {
  ...initialSagaState.visit,
  psn_no: 'P1',
  insutype: '310',
  mdtrt_cert_type: '01',
  mdtrt_cert_no: 'E-TOKEN-OF-ADMISSION-DAY',
  registered_admdvs: '110000',
  mdtrt_id: 'M1',
};

const stateWith = (request: SettlementRequest, admission = visit): SagaState => ({
  ...initialSagaState,
  visit: admission,
  saga: { saga_id: 'setl-ZY1-1', request } as Saga,
});

const request = SettlementRequestedV2.example as SettlementRequest;
const pre = { kind: 'platform', step: 'PRE_SETTLEMENT', infno: '2303' } as const;
const settle = { kind: 'platform', step: 'SETTLEMENT', infno: '2304' } as const;

describe('2303/2304 input', () => {
  it.each([pre, settle])('$infno carries the certificate presented at discharge', (step) => {
    const fresh = { ...request, mdtrt_cert_type: '01' as const, mdtrt_cert_no: 'E-TOKEN-AT-DISCHARGE' };
    expect(inputOf(stateWith(fresh), step)).toMatchObject({
      data: { mdtrt_cert_type: '01', mdtrt_cert_no: 'E-TOKEN-AT-DISCHARGE', psn_no: 'P1', mdtrt_id: 'M1' },
    });
  });

  it("carries the admission's certificate only where the HIS says it still holds", () => {
    const idCard = { ...visit, mdtrt_cert_type: '02', mdtrt_cert_no: '420111198808080883' };
    const { mdtrt_cert_type: _t, mdtrt_cert_no: _n, ...noneAtDischarge } = request;
    expect(inputOf(stateWith({ ...noneAtDischarge, cert_as_admitted: true }, idCard), settle)).toMatchObject({
      data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420111198808080883' },
    });
  });
});

describe('2303/2304 policy-range amounts', () => {
  const policy = {
    fulamt_ownpay_amt: '1.20',
    overlmt_selfpay: '0.30',
    preselfpay_amt: '3.66',
    inscp_scp_amt: '81.44',
  };
  const withPolicy = (policyAmounts: Saga['policyAmounts']): SagaState => {
    const state = stateWith(request);
    return { ...state, saga: { ...state.saga!, policyAmounts } };
  };

  it.each([pre, settle])("$infno sends the sums of the lines' 2301 answers fee-detail answered", (step) => {
    expect(inputOf(withPolicy(policy), step)).toMatchObject({ data: policy });
  });

  it('without them, 2303 sends its required four as zero and 2304 none', () => {
    expect(inputOf(withPolicy(null), pre)).toMatchObject({
      data: { fulamt_ownpay_amt: '0', overlmt_selfpay: '0', preselfpay_amt: '0', inscp_scp_amt: '0' },
    });
    expect((inputOf(withPolicy(null), settle) as { data: object }).data).not.toHaveProperty('inscp_scp_amt');
  });
});
