import { createContext, useContext, useEffect, useState } from 'react';
import { api, type Session } from './api';
import { dictionaries, label, type Lang, type MessageKey } from './i18n';

export interface DashboardContext {
  lang: Lang;
  session: Session;
  /** Bumped by each server-sent change: pages refetch what they show. */
  revision: number;
  t: (key: MessageKey) => string;
  l: (code: string | null | undefined) => string;
  /** Called when the API answers 401: back to sign-in. */
  expired: () => void;
}

export const Dashboard = createContext<DashboardContext | null>(null);

export function useDashboard(): DashboardContext {
  const context = useContext(Dashboard);
  if (!context) throw new Error('outside the dashboard');
  return context;
}

export function translator(lang: Lang) {
  return {
    t: (key: MessageKey) => dictionaries[lang][key],
    l: (code: string | null | undefined) => label(lang, code),
  };
}

/** Fetches `route` now, again on every live change and on `reload()`; null while loading. */
export function useLive<T>(route: string): { data: T | null; error: string | null; reload: () => void } {
  const { revision, expired } = useDashboard();
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let current = true;
    api
      .get<T>(route)
      .then((data) => current && setState({ data, error: null }))
      .catch((err: { status?: number; message: string }) => {
        if (err.status === 401) expired();
        else if (current) setState((s) => ({ data: s.data, error: err.message }));
      });
    return () => {
      current = false;
    };
  }, [route, revision, expired, reloads]);
  return { ...state, reload: () => setReloads((n) => n + 1) };
}
