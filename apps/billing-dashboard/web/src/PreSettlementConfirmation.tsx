import { type Row } from './api';
import { ActionButton } from './ActionButton';
import { useDashboard } from './context';

/**
 * A saga waiting in AWAITING_CONFIRMATION: 2303's split (fund, personal account, cash, the hospital's part) and
 * the cashier's choices — settle with or without the personal account (another choice than the split's runs
 * 2303 again and asks again), or cancel before anything is applied on the platform.
 */
export function PreSettlementConfirmation({ visit, visitId }: { visit: Row; visitId: string }) {
  const { t } = useDashboard();
  const route = `/api/visits/${visitId}/confirm-pre-settlement`;
  const saga_id = visit.saga_id as string;
  const rows: [Parameters<typeof t>[0], string | null][] = [
    ['medfee', visit.pre_settled_medfee],
    ['fund', visit.pre_settled_fund],
    ['acct', visit.pre_settled_acct],
    ['cash', visit.pre_settled_cash],
    ['hospPart', visit.pre_settled_hosp],
  ];
  return (
    <section className="confirmation" data-testid="pre-settlement-confirmation">
      <h2>{t('confirmPreSettlement')}</h2>
      <p>{t('confirmPreSettlementHint')}</p>
      <div className="cards">
        {rows.map(([key, amount]) => (
          <div className="card" key={key}>
            <div className="name">{t(key)}</div>
            <div className="figure money" data-testid={`split-${key}`}>
              ¥{amount ?? '0.00'}
            </div>
          </div>
        ))}
      </div>
      {(
        [
          ['confirmWithAccount', '1', 'confirm-with-account'],
          ['confirmWithoutAccount', '0', 'confirm-without-account'],
        ] as const
      ).map(([label, acct_used_flag, testId]) => (
        <ActionButton
          key={testId}
          label={label}
          route={route}
          body={{ saga_id, decision: 'CONFIRM', acct_used_flag }}
          commentField={null}
          testId={testId}
        />
      ))}
      <ActionButton
        label="cancelBeforeSettling"
        route={route}
        body={{ saga_id, decision: 'CANCEL' }}
        testId="cancel-before-settling"
      />
    </section>
  );
}
