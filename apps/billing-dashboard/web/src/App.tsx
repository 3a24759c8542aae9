import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, type Session } from './api';
import { Dashboard, translator } from './context';
import { CataloguePage } from './Catalogue';
import { CatalogueLookupPage } from './CatalogueLookup';
import { DeadLettersPage } from './DeadLetters';
import { type Lang } from './i18n';
import { InHospital, OperatorActionsPage, Queue, Reports } from './Lists';
import { Overview } from './Overview';
import { ReconciliationDay, ReconciliationDays } from './Reconciliation';
import { VisitPage } from './VisitPage';

function useHashRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function SignIn({
  lang,
  onSignedIn,
  notice,
}: {
  lang: Lang;
  onSignedIn: (s: Session) => void;
  notice: string | null;
}) {
  const { t } = translator(lang);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(() =>
    new URLSearchParams(window.location.search).has('oidc_error') ? t('oidcRefused') : null,
  );
  const [oidc, setOidc] = useState(false);
  useEffect(() => {
    api.methods().then(
      (methods) => setOidc(methods.oidc),
      () => setOidc(false),
    );
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onSignedIn(await api.signIn(username, password));
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(t(status === 429 ? 'tooManyAttempts' : status === 503 ? 'signInBusy' : 'wrongPassword'));
    }
  };
  return (
    <form className="login" onSubmit={submit} data-testid="sign-in">
      <h2>{t('title')}</h2>
      {notice && <div className="notice">{notice}</div>}
      <label>
        {t('username')}{' '}
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('password')}{' '}
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && <div className="error">{error}</div>}
      <button className="action" type="submit">
        {t('signIn')}
      </button>
      {oidc && (
        <a className="oidc" href="/api/session/oidc" data-testid="sign-in-oidc">
          {t('signInOidc')}
        </a>
      )}
    </form>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('lang') === 'en' ? 'en' : 'zh'));
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [live, setLive] = useState(false);
  const route = useHashRoute();
  const { t, l } = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    api.session().then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    localStorage.setItem('lang', lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
  }, [lang, t]);

  const expired = useCallback(() => {
    setSession(null);
    setNotice(translator(lang).t('sessionExpired'));
  }, [lang]);

  // Live updates: every committed read-model change bumps the revision; the stream ends with the session.
  useEffect(() => {
    if (!session) return;
    const stream = new EventSource('/api/stream');
    stream.addEventListener('open', () => setLive(true));
    stream.addEventListener('change', () => setRevision((r) => r + 1));
    stream.addEventListener('error', () => {
      setLive(false);
      api.session().catch(() => expired());
    });
    return () => stream.close();
  }, [session, expired]);

  const context = useMemo(
    () => (session ? { lang, session, revision, t, l, expired } : null),
    [lang, session, revision, t, l, expired],
  );

  if (session === undefined) return null;
  if (!session || !context) {
    return (
      <SignIn
        lang={lang}
        notice={notice}
        onSignedIn={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
  }
  const [page = 'overview', id] = route;
  const nav = (target: string, key: Parameters<typeof t>[0]) => (
    <a href={`#/${target}`} className={page === target ? 'active' : ''} data-testid={`nav-${target}`}>
      {t(key)}
    </a>
  );
  return (
    <Dashboard.Provider value={context}>
      <header>
        <h1>{t('title')}</h1>
        <nav>
          {nav('overview', 'overview')}
          {nav('visits', 'inHospital')}
          {nav('queue', 'queue')}
          {nav('reports', 'reports')}
          {nav('reconciliation', 'reconciliation')}
          {nav('catalogue', 'catalogue')}
          {nav('catalogue-lookup', 'catalogueLookup')}
          {nav('actions', 'operatorActions')}
          {session.role === 'admin' && nav('dead-letters', 'deadLetters')}
        </nav>
        <span className="spacer" />
        <span data-testid="live">{live ? `● ${t('live')}` : '○'}</span>
        <span data-testid="who">
          {session.username} · {l(session.role)}
        </span>
        <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="lang">
          <option value="zh">中文</option>
          <option value="en">English</option>
        </select>
        <button onClick={() => api.signOut().finally(() => setSession(null))}>{t('signOut')}</button>
      </header>
      <main>
        {page === 'overview' && <Overview />}
        {page === 'visits' && !id && <InHospital />}
        {page === 'visits' && id && <VisitPage visitId={id} />}
        {page === 'queue' && <Queue />}
        {page === 'reports' && <Reports />}
        {page === 'reconciliation' && !id && <ReconciliationDays />}
        {page === 'reconciliation' && id && <ReconciliationDay date={id} />}
        {page === 'catalogue' && <CataloguePage />}
        {page === 'catalogue-lookup' && <CatalogueLookupPage />}
        {page === 'actions' && <OperatorActionsPage />}
        {page === 'dead-letters' && session.role === 'admin' && <DeadLettersPage />}
      </main>
    </Dashboard.Provider>
  );
}
