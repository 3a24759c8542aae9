// The dashboard's HTTP API from the page: same origin, the session in an HttpOnly cookie the page never sees.

export type Role = 'viewer' | 'operator' | 'admin';
export interface Session {
  username: string;
  role: Role;
  expires_at: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;
export interface Paged {
  items: Row[];
  total: number;
  page: number;
  page_size: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(route, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed?.message ?? response.statusText);
  return parsed as T;
}

export const api = {
  get: <T = Row>(route: string) => call<T>('GET', route),
  post: <T = Row>(route: string, body?: unknown) => call<T>('POST', route, body ?? {}),
  signIn: (username: string, password: string) =>
    call<Session>('POST', '/api/session', { username, password }),
  session: () => call<Session>('GET', '/api/session'),
  signOut: () => call<void>('DELETE', '/api/session'),
};

/** A query string from the filters that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return set.length ? `?${new URLSearchParams(set.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
