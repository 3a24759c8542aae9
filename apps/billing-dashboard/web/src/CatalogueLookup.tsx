import { useState } from 'react';
import { query, type Paged, type Row } from './api';
import { useDashboard, useLive } from './context';
import { Pager } from './Lists';

/**
 * 目录查询: every catalogue the catalogue service downloaded (1307–1315, 1312, 1318, 1319, 1901), a kind's rows
 * by code prefix, name prefix and validity on a day, a page at a time (read from the catalogue service).
 */
export function CatalogueLookupPage() {
  const { t, l } = useDashboard();
  const { data: kinds, error } = useLive<Row[]>('/api/catalogue/lookup');
  const [filters, setFilters] = useState({ kind: '', code: '', name: '', date: '' });
  const [page, setPage] = useState(1);
  const set = (change: Partial<typeof filters>) => {
    setFilters({ ...filters, ...change });
    setPage(1);
  };
  const held = (kinds ?? []).filter((k) => k.rows > 0);
  const kind = held.find((k) => k.kind === filters.kind) ?? held[0];
  const kindName = (k: Row) => `${(k.infnos as string[]).join('/')} ${l(`infno:${k.infnos[0]}`)}`;
  return (
    <>
      <div className="filters">
        <label>
          {t('lookupKind')}{' '}
          <select
            value={kind?.kind ?? ''}
            // Another kind's codes and names are other words: the day stays, the rest is cleared.
            onChange={(e) => set({ kind: e.target.value, code: '', name: '' })}
            data-testid="lookup-kind"
          >
            {held.map((k) => (
              <option key={k.kind} value={k.kind}>
                {kindName(k)} ({k.rows} {t('lookupRows')})
              </option>
            ))}
          </select>
        </label>
        <input
          placeholder={t('lookupCode')}
          value={filters.code}
          onChange={(e) => set({ code: e.target.value })}
          data-testid="lookup-code"
        />
        {kind?.label && (
          <input
            placeholder={t('lookupName')}
            value={filters.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="lookup-name"
          />
        )}
        <label>
          {t('lookupDate')}{' '}
          <input
            type="date"
            value={filters.date}
            onChange={(e) => set({ date: e.target.value })}
            data-testid="lookup-date"
          />
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {kinds && held.length === 0 && <p>{t('lookupNoKinds')}</p>}
      {kind && (
        <LookupRows
          kind={kind.kind}
          filters={{ code: filters.code, name: kind.label ? filters.name : '', date: filters.date }}
          page={page}
          setPage={setPage}
        />
      )}
    </>
  );
}

function LookupRows(props: {
  kind: string;
  filters: { code: string; name: string; date: string };
  page: number;
  setPage: (page: number) => void;
}) {
  const { l } = useDashboard();
  const { kind, filters, page, setPage } = props;
  const { data, error } = useLive<Paged & { columns: string[] }>(
    `/api/catalogue/lookup/${encodeURIComponent(kind)}${query({ ...filters, page })}`,
  );
  return (
    <>
      {error && <p className="error">{error}</p>}
      <table data-testid="lookup-rows">
        <thead>
          <tr>
            {(data?.columns ?? []).map((c) => (
              <th key={c}>{l(`column:${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((row, i) => (
            <tr key={`${i}-${row.rid ?? row.value}`} data-testid="lookup-row">
              {data!.columns.map((c) => (
                <td key={c}>{c === 'list_type' && row[c] ? l(`list_type:${row[c]}`) : row[c]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {data && <Pager data={data} setPage={setPage} />}
    </>
  );
}
