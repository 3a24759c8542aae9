import { useState } from 'react';
import { api, ApiError, query, type Paged, type Row } from './api';
import { ActionButton } from './ActionButton';
import { fill } from './catalogue-i18n';
import { useDashboard, useLive } from './context';
import { Pager, StateTag } from './Lists';

/**
 * An operator maps an item to a national code (3301 follows in catalogue): typed, or chosen from the catalogue
 * service's suggestions (same list type, by name, spec and manufacturer); the person confirms with the button.
 */
function MapItem({ item }: { item: Row }) {
  const { t, session, expired } = useDashboard();
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [suggestions, setSuggestions] = useState<Row[] | null>(null);
  if (session.role === 'viewer') return null;
  const id = item.fixmedins_hilist_id as string;
  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return expired();
    setOutcome({ ok: false, text: (err as Error).message });
  };
  const send = async () => {
    try {
      await api.post(`/api/catalogue/items/${encodeURIComponent(id)}/map`, {
        med_list_codg: code.trim(),
        request_id: crypto.randomUUID(),
      });
      setOutcome({ ok: true, text: t('sent') });
    } catch (err) {
      failed(err);
    }
  };
  const suggest = async () => {
    try {
      setSuggestions(await api.get<Row[]>(`/api/catalogue/items/${encodeURIComponent(id)}/suggestions`));
    } catch (err) {
      failed(err);
    }
  };
  return (
    <>
      <span className="dialog">
        <input
          placeholder={t('nationalCode')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid={`map-${id}-code`}
        />
        <button className="action" disabled={code.trim() === ''} onClick={send} data-testid={`map-${id}`}>
          {t('mapItem')}
        </button>
        <button onClick={suggest} data-testid={`suggest-${id}`}>
          {t('suggest')}
        </button>
        {outcome && (
          <span className={outcome.ok ? 'notice' : 'error'} data-testid={`map-${id}-outcome`}>
            {' '}
            {outcome.text}
          </span>
        )}
      </span>
      {suggestions && (
        <ul data-testid={`suggestions-${id}`}>
          {suggestions.length === 0 && <li>{t('noSuggestions')}</li>}
          {suggestions.map((s) => (
            <li key={s.med_list_codg} data-testid={`suggestion-${s.med_list_codg}`}>
              {s.med_list_codg} {s.hilist_name} {s.memo}{' '}
              <button onClick={() => setCode(s.med_list_codg)} data-testid={`use-${s.med_list_codg}`}>
                {t('useSuggestion')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The CSV import: the whole file or nothing; each wrong row named by line and column, in the page's language. */
function ImportItems() {
  const { t, l, session, expired } = useDashboard();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; errors?: Row[] } | null>(null);
  if (session.role === 'viewer') return null;
  const upload = async (file: File | undefined) => {
    if (!file) return;
    try {
      const answer = await api.post('/api/catalogue/items/import', {
        csv: await file.text(),
        request_id: crypto.randomUUID(),
      });
      setOutcome({ ok: true, text: `${t('imported')}: ${answer.items}` });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return expired();
      setOutcome({
        ok: false,
        text: err instanceof ApiError && err.status === 400 ? t('importRefused') : (err as Error).message,
        errors: err instanceof ApiError ? err.details?.errors : undefined,
      });
    }
  };
  return (
    <div className="filters">
      <label>
        {t('importCsv')}{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => upload(e.target.files?.[0])}
          data-testid="import-csv"
        />
      </label>
      {outcome && (
        <span className={outcome.ok ? 'notice' : 'error'} data-testid="import-outcome">
          {outcome.text}
        </span>
      )}
      {outcome?.errors && (
        <table data-testid="import-errors">
          <thead>
            <tr>
              <th>{t('line')}</th>
              <th>{t('column')}</th>
              <th>{t('field')}</th>
              <th>{t('reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.errors.map((e) => (
              <tr key={`${e.line}-${e.field}-${e.code}`} data-testid={`import-error-${e.line}-${e.field}`}>
                <td>{e.line}</td>
                <td>{e.column}</td>
                <td>{e.field}</td>
                <td>{e.code ? fill(l(`importError:${e.code}`), e.params) : e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Each downloaded catalogue's version and last download; an admin asks for a download now (DownloadCatalogue). */
function CatalogueVersions() {
  const { t, l, session } = useDashboard();
  const { data } = useLive<Row[]>('/api/catalogue/versions');
  return (
    <section>
      <h2>{t('catalogueVersions')}</h2>
      {data && data.length === 0 && <p>{t('nothing')}</p>}
      <table data-testid="catalogue-versions">
        <thead>
          <tr>
            <th>{t('catalogueName')}</th>
            <th>{t('version')}</th>
            <th>{t('lastDownload')}</th>
            <th>{t('downloadedRows')}</th>
            <th>{t('downloadTrigger')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((v) => (
            <tr key={v.infno} data-testid={`version-${v.infno}`}>
              <td>
                {v.infno} {l(`infno:${v.infno}`)}
              </td>
              <td>{v.version}</td>
              <td>{new Date(v.downloaded_at).toLocaleString('zh-CN', { hour12: false })}</td>
              <td>{v.rows}</td>
              <td>
                {l(`trigger:${v.trigger}`)} {v.requested_by}
              </td>
              <td>
                {session.role === 'admin' && (
                  <ActionButton
                    label="downloadNow"
                    route={`/api/catalogue/downloads/${encodeURIComponent(v.infno)}`}
                    body={{}}
                    commentField={null}
                    testId={`download-${v.infno}`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** 目录对照: the hospital's items, unmapped first (they hold fee lines back), their mappings and the actions. */
export function CataloguePage() {
  const { t, l } = useDashboard();
  const [filters, setFilters] = useState({ status: '', q: '' });
  const [page, setPage] = useState(1);
  const { data } = useLive<Paged>(`/api/catalogue/items${query({ ...filters, page })}`);
  const set = (change: Partial<typeof filters>) => {
    setFilters({ ...filters, ...change });
    setPage(1);
  };
  return (
    <>
      <div className="filters">
        <input
          placeholder={t('searchItems')}
          value={filters.q}
          onChange={(e) => set({ q: e.target.value })}
          data-testid="item-search"
        />
        <select
          value={filters.status}
          onChange={(e) => set({ status: e.target.value })}
          data-testid="item-status"
        >
          <option value="">{t('allStates')}</option>
          {['unmapped', 'mapped', 'withdrawn'].map((s) => (
            <option key={s} value={s}>
              {l(s)}
            </option>
          ))}
        </select>
        <a href="/api/catalogue/items/export.csv" download data-testid="export-csv">
          {t('exportCsv')}
        </a>
      </div>
      <ImportItems />
      <table data-testid="items">
        <thead>
          <tr>
            <th>{t('itemCode')}</th>
            <th>{t('itemName')}</th>
            <th>{t('listType')}</th>
            <th>{t('spec')}</th>
            <th>{t('price')}</th>
            <th>{t('mappingStatus')}</th>
            <th>{t('nationalCode')}</th>
            <th>{t('priceLimit')}</th>
            <th>{t('who')}</th>
            <th>{t('heldLines')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((i) => (
            <tr key={i.fixmedins_hilist_id} data-testid={`item-${i.fixmedins_hilist_id}`}>
              <td>{i.fixmedins_hilist_id}</td>
              <td>{i.fixmedins_hilist_name}</td>
              <td>{l(`list_type:${i.list_type}`)}</td>
              <td>{i.spec}</td>
              <td className="money">{i.pric}</td>
              <td data-testid="mapping-status">
                <StateTag code={i.mapping_status} />
                {i.mapping_requested_at && <span className="state PENDING">{t('mappingRequested')}</span>}
              </td>
              <td>
                {i.med_list_codg} {i.hilist_name}
              </td>
              <td className="money">{i.pric_uplmt_amt}</td>
              <td>{i.mapped_by}</td>
              <td data-testid="held-count">
                {i.held_lines > 0 && <span className="state FAILED">{i.held_lines}</span>}
              </td>
              <td>
                {i.mapping_status === 'mapped' ? (
                  <ActionButton
                    label="withdrawMapping"
                    route={`/api/catalogue/items/${encodeURIComponent(i.fixmedins_hilist_id)}/withdraw`}
                    body={{}}
                    commentField={null}
                    testId={`withdraw-${i.fixmedins_hilist_id}`}
                  />
                ) : (
                  <MapItem item={i} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && <Pager data={data} setPage={setPage} />}
      <HeldLines />
      <CatalogueVersions />
    </>
  );
}

/**
 * A person's decision on one held line (operators): upload anyway (a line held for its price only: the excess
 * is self-pay, the platform may refuse it), or void; the comment says why.
 */
function DecideHeld(props: { ipt_no: string; feedetl_sn: string; decision: 'UPLOAD_ANYWAY' | 'VOID' }) {
  const upload = props.decision === 'UPLOAD_ANYWAY';
  return (
    <ActionButton
      label={upload ? 'uploadAnyway' : 'voidHeldLine'}
      route={`/api/catalogue/held-lines/${encodeURIComponent(props.ipt_no)}/decide`}
      body={{ feedetl_sns: [props.feedetl_sn], decision: props.decision }}
      confirm={upload ? 'uploadAnywayConfirm' : 'voidHeldLineConfirm'}
      testId={`${upload ? 'upload-anyway' : 'void-held'}-${props.feedetl_sn}`}
    />
  );
}

/**
 * Fee lines fee-detail holds until their item is mapped or a person decides on their price, per visit (reasons
 * masked for viewers and operators).
 */
function HeldLines() {
  const { t } = useDashboard();
  const [page, setPage] = useState(1);
  const { data } = useLive<Paged>(`/api/catalogue/held-lines${query({ page })}`);
  return (
    <section>
      <h2>{t('heldLinesByVisit')}</h2>
      {data && data.items.length === 0 && <p>{t('nothing')}</p>}
      <table data-testid="held-lines">
        <thead>
          <tr>
            <th>{t('iptNo')}</th>
            <th>{t('department')}</th>
            <th>{t('lines')}</th>
            <th>{t('itemCode')}</th>
            <th>{t('reasons')}</th>
            <th>{t('since')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((v) => (
            <tr key={v.ipt_no} data-testid={`held-${v.ipt_no}`}>
              <td>{v.visit_id ? <a href={`#/visits/${v.visit_id}`}>{v.ipt_no}</a> : v.ipt_no}</td>
              <td>{v.dept_name}</td>
              <td>{v.lines}</td>
              <td>{(v.items as string[]).join(', ')}</td>
              <td>
                {(v.held as Row[]).map((h) => (
                  <div key={h.feedetl_sn} data-testid={`held-line-${h.feedetl_sn}`}>
                    {h.feedetl_sn}: {h.reason}
                    {h.finding && (
                      <span className="state FAILED">
                        {fill(t('overPriceLimit'), { pric: h.finding.pric, limit: h.finding.pric_uplmt_amt })}
                      </span>
                    )}
                    {h.finding && (
                      <DecideHeld ipt_no={v.ipt_no} feedetl_sn={h.feedetl_sn} decision="UPLOAD_ANYWAY" />
                    )}
                    <DecideHeld ipt_no={v.ipt_no} feedetl_sn={h.feedetl_sn} decision="VOID" />
                  </div>
                ))}
              </td>
              <td>{new Date(v.held_since).toLocaleString('zh-CN', { hour12: false })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && <Pager data={data} setPage={setPage} />}
    </section>
  );
}
