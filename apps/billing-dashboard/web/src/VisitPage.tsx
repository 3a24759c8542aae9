import { type Row } from './api';
import { ActionButton } from './ActionButton';
import { useDashboard, useLive } from './context';
import { StateTag } from './Lists';
import { PreSettlementConfirmation } from './PreSettlementConfirmation';

const time = (value: string | null) =>
  value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '';

/** A visit: its state and totals, its timeline (every step, retry, reversal and compensation), findings, settlements. */
export function VisitPage({ visitId }: { visitId: string }) {
  const { t, l } = useDashboard();
  const { data: v, error } = useLive<Row>(`/api/visits/${visitId}`);
  if (error) return <div className="error">{error}</div>;
  if (!v) return null;
  const stoppedSagas = (v.sagas as Row[]).filter((s) => ['FAILED', 'COMPENSATION_FAILED'].includes(s.state));
  // Standing: neither cancelled on the platform (2305) nor reversed in our books (本地冲销).
  const openSettlement = (v.settlements as Row[]).find((s) => !s.cancelled_by && !s.reversed_locally_at);
  return (
    <>
      <p>
        <a href="#/visits">← {t('back')}</a>
      </p>
      <div className="cards" data-testid="visit-summary">
        <div className="card">
          <div className="name">{t('iptNo')}</div>
          <div className="figure" data-testid="visit-ipt-no">
            {v.ipt_no}
          </div>
        </div>
        <div className="card">
          <div className="name">
            {t('patientId')} {v.identifiers_masked ? `(${t('masked')})` : ''}
          </div>
          <div className="figure" data-testid="visit-certno">
            {v.mdtrt_cert_no}
          </div>
        </div>
        <div className="card">
          <div className="name">{t('state')}</div>
          <div className="figure" data-testid="visit-state">
            <StateTag code={v.state} />
          </div>
        </div>
        <div className="card">
          <div className="name">{t('feeTotal')}</div>
          <div className="figure" data-testid="visit-fee-total">
            ¥{v.fee_total}
          </div>
        </div>
        <div className="card">
          <div className="name">{t('department')}</div>
          <div className="figure">{v.dept_name}</div>
        </div>
        <div className="card">
          <div className="name">{t('diagnosis')}</div>
          <div>{v.diagnosis}</div>
        </div>
      </div>
      {v.attention && <p className="error">{v.attention}</p>}
      {v.saga_state === 'AWAITING_CONFIRMATION' && <PreSettlementConfirmation visit={v} visitId={visitId} />}
      <section>
        <h2>{t('findings')}</h2>
        <table data-testid="findings">
          <thead>
            <tr>
              <th>{t('rule')}</th>
              <th>{t('content')}</th>
              <th>{t('amount')}</th>
              <th>{t('blocking')}</th>
              <th>{t('acknowledged')}</th>
            </tr>
          </thead>
          <tbody>
            {(v.findings as Row[]).map((f) => (
              <tr key={f.jr_id} data-testid={`finding-${f.jr_id}`}>
                <td>{f.rule_name}</td>
                <td>{f.vola_cont}</td>
                <td className="money">{f.vola_amt}</td>
                <td>{f.blocking ? '●' : ''}</td>
                <td data-testid="acknowledged-by">
                  {f.acknowledged_by ? (
                    `${f.acknowledged_by} · ${time(f.acknowledged_at)} · ${f.ack_comment}`
                  ) : f.blocking ? (
                    <ActionButton
                      label="acknowledge"
                      route={`/api/visits/${visitId}/findings/${encodeURIComponent(f.jr_id)}/acknowledge`}
                      body={{}}
                      testId={`acknowledge-${f.jr_id}`}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{t('timeline')}</h2>
        {stoppedSagas.map((s) => (
          <ActionButton
            key={s.saga_id}
            label="retrySettlement"
            route={`/api/visits/${visitId}/retry-settlement`}
            body={{ saga_id: s.saga_id }}
            testId={`retry-${s.saga_id}`}
          />
        ))}
        <table data-testid="timeline">
          <thead>
            <tr>
              <th>{t('time')}</th>
              <th>{t('event')}</th>
              <th>{t('step')}</th>
              <th>{t('status')}</th>
              <th>{t('infno')}</th>
              <th>{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {(v.timeline as Row[]).map((e) => (
              <tr key={e.position} data-testid="timeline-entry">
                <td>{time(e.occurred_at)}</td>
                <td>{l(e.event_type)}</td>
                <td>
                  {l(e.step)}
                  {e.attempt > 1 ? ` (${e.attempt}${t('attempt')})` : ''}
                </td>
                <td>
                  <StateTag code={e.status} />
                </td>
                <td>{e.infno}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{t('settlements')}</h2>
        <table data-testid="settlements">
          <thead>
            <tr>
              <th>{t('setlId')}</th>
              <th>{t('time')}</th>
              <th>{t('medfee')}</th>
              <th>{t('fund')}</th>
              <th>{t('acct')}</th>
              <th>{t('cash')}</th>
              <th>{t('detail')}</th>
              <th>{t('slip')}</th>
            </tr>
          </thead>
          <tbody>
            {(v.settlements as Row[]).map((s) => (
              <tr key={s.setl_id}>
                <td>
                  {s.setl_id} {s.cancelled_by ? `(${t('cancelled')})` : ''}
                  {s.reversed_locally_at && (
                    <span data-testid={`reversed-locally-${s.setl_id}`}>
                      （{l('REVERSED_LOCALLY')}：{s.reversed_locally_by}，{s.reversed_locally_reason}）
                    </span>
                  )}
                </td>
                <td>{s.setl_time}</td>
                <td className="money">{s.medfee_sumamt}</td>
                <td className="money">{s.fund_pay_sumamt}</td>
                <td className="money">{s.acct_pay}</td>
                <td className="money">{s.psn_cash_pay}</td>
                <td>
                  {(s.fund_shares as Row[]).map((f) => `${l(f.fund_pay_type)} ${f.fund_payamt}`).join('；')}
                </td>
                <td>
                  <a
                    href={`/api/visits/${visitId}/settlements/${encodeURIComponent(s.setl_id)}/slip.html`}
                    target="_blank"
                    rel="noreferrer"
                    data-testid={`slip-${s.setl_id}`}
                  >
                    {t('slip')}
                  </a>{' '}
                  <a href={`/api/visits/${visitId}/settlements/${encodeURIComponent(s.setl_id)}/slip.pdf`}>
                    PDF
                  </a>{' '}
                  {s.platform_slip ? (
                    <a
                      href={`/api/visits/${visitId}/settlements/${encodeURIComponent(s.setl_id)}/platform-slip`}
                      data-testid={`platform-slip-${s.setl_id}`}
                    >
                      {t('platformSlip')}
                    </a>
                  ) : (
                    s.platform_slip_problem && (
                      <span title={s.platform_slip_problem}>
                        {t('platformSlipMissing')}：{s.platform_slip_problem}
                      </span>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {openSettlement && (
          <ActionButton
            label="cancelSettlement"
            route={`/api/visits/${visitId}/cancel-settlement`}
            body={{ setl_id: openSettlement.setl_id, undo_discharge: true }}
            commentField="reason"
            testId="cancel-settlement"
          />
        )}
      </section>
    </>
  );
}
