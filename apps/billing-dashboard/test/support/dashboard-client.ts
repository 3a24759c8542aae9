/** A JSON answer, read by tests field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * A signed-in browser-less client of the dashboard's HTTP API, sending what the page sends: the session cookie,
 * the page's Origin and the session's CSRF token on every change.
 */
export class DashboardClient {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string | null,
    readonly csrfToken: string | null,
  ) {}

  static anonymous(baseUrl: string): DashboardClient {
    return new DashboardClient(baseUrl, null, null);
  }

  static async signIn(baseUrl: string, username: string, password: string): Promise<DashboardClient> {
    const response = await fetch(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(baseUrl).origin },
      body: JSON.stringify({ username, password }),
    });
    if (response.status !== 200)
      throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
    const session = (await response.json()) as { csrf_token: string };
    const sessionCookie = response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('yb_dashboard_session='))!;
    return new DashboardClient(baseUrl, sessionCookie.split(';')[0]!, session.csrf_token);
  }

  /** The Set-Cookie attributes are checked by the test that signs in; here only the pair is kept. */
  get sessionCookie(): string | null {
    return this.cookie;
  }

  async request(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> {
    const { status, body: answer } = await this.exchange(method, route, body, headers);
    return { status, body: answer };
  }

  /** As request, with the answer's headers. */
  async exchange(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method !== 'GET' && { origin: new URL(this.baseUrl).origin }),
        ...(method !== 'GET' && this.csrfToken && { 'x-csrf-token': this.csrfToken }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async get(route: string): Promise<Json> {
    const { status, body } = await this.request('GET', route);
    if (status !== 200) throw new Error(`GET ${route}: ${status} ${JSON.stringify(body)}`);
    return body;
  }
}
