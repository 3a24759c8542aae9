import { patientView } from './read-models';

describe('patientView', () => {
  const row = { ipt_no: 'ZY1', mdtrt_cert_no: '420102198001011234', psn_name: '张三', fee_total: '54.90' };

  it('masks the certificate number and the name for viewers and operators', () => {
    for (const role of ['viewer', 'operator'] as const) {
      expect(patientView(role, row)).toEqual({
        ipt_no: 'ZY1',
        mdtrt_cert_no: '420***********1234',
        psn_name: '张*',
        fee_total: '54.90',
        identifiers_masked: true,
      });
    }
  });

  it('shows them to the admin', () => {
    expect(patientView('admin', row)).toMatchObject({
      mdtrt_cert_no: '420102198001011234',
      psn_name: '张三',
      identifiers_masked: false,
    });
  });

  it('leaves rows without a certificate alone', () => {
    expect(patientView('viewer', { ipt_no: 'ZY1', mdtrt_cert_no: null })).toMatchObject({
      mdtrt_cert_no: null,
    });
    expect(patientView('viewer', { ipt_no: 'ZY1' })).toEqual({ ipt_no: 'ZY1' });
  });
});
