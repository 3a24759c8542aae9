// The dashboard's HTTP API from the page: same origin, the session in an HttpOnly cookie the page never sees.

export type Role = 'viewer' | 'operator' | 'admin';
export interface Session {
  username: string;
  role: Role;
  expires_at: string;
  csrf_token: string;
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
    /** The answer's body (e.g. an import's wrong rows). */
    readonly details?: Row,
  ) {
    super(message);
  }
}

// The session's CSRF token, from the sign-in or session answer (never from a cookie): sent on every change.
let csrfToken: string | undefined;

async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(route, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(method !== 'GET' && csrfToken && { 'x-csrf-token': csrfToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed?.message ?? response.statusText, parsed);
  return parsed as T;
}

const keepCsrf = (session: Session) => {
  csrfToken = session.csrf_token;
  return session;
};

export const api = {
  get: <T = Row>(route: string) => call<T>('GET', route),
  post: <T = Row>(route: string, body?: unknown) => call<T>('POST', route, body ?? {}),
  signIn: (username: string, password: string) =>
    call<Session>('POST', '/api/session', { username, password }).then(keepCsrf),
  session: () => call<Session>('GET', '/api/session').then(keepCsrf),
  signOut: () => call<void>('DELETE', '/api/session').finally(() => (csrfToken = undefined)),
  methods: () => call<{ password: boolean; oidc: boolean }>('GET', '/api/session/methods'),
};

/** A query string from the filters that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return set.length ? `?${new URLSearchParams(set.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
