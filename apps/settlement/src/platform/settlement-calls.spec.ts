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
