/** A JSON answer, read by tests field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A signed-in browser-less client of the dashboard's HTTP API (the session cookie kept like a browser would). */
export class DashboardClient {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string | null,
  ) {}

  static anonymous(baseUrl: string): DashboardClient {
    return new DashboardClient(baseUrl, null);
  }

  static async signIn(baseUrl: string, username: string, password: string): Promise<DashboardClient> {
    const response = await fetch(`${baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.status !== 200)
      throw new Error(`sign-in of ${username}: ${response.status} ${await response.text()}`);
    const setCookie = response.headers.get('set-cookie') ?? '';
    return new DashboardClient(baseUrl, setCookie.split(';')[0]!);
  }

  /** The Set-Cookie attributes are checked by the test that signs in; here only the pair is kept. */
  get sessionCookie(): string | null {
    return this.cookie;
  }

  async request(method: string, route: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
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
    return { status: response.status, body: parsed };
  }

  async get(route: string): Promise<Json> {
    const { status, body } = await this.request('GET', route);
    if (status !== 200) throw new Error(`GET ${route}: ${status} ${JSON.stringify(body)}`);
    return body;
  }
}
