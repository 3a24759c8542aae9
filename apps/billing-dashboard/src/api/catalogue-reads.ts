import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';

/** A national code the catalogue service suggests for a hospital item, best first. */
export interface Suggestion {
  readonly med_list_codg: string;
  readonly hilist_name: string;
  readonly list_type: string;
  /** The national row's spec and manufacturer (memo). */
  readonly memo: string | null;
  /** Same name 4 / name prefix 3 / stem 1, + 2 spec found, + 1 manufacturer found. */
  readonly score: number;
}

/** A downloaded kind (catalogue's `GET /catalogue/lookup`): its table, catalogues, columns and rows held. */
export interface LookupKind {
  readonly kind: string;
  readonly infnos: readonly string[];
  readonly code: string;
  readonly label: string | null;
  readonly dated: boolean;
  readonly columns: readonly string[];
  readonly rows: number;
}

/** A page of a kind's rows (catalogue's `GET /catalogue/lookup/:kind`). */
export interface LookupPage {
  readonly kind: string;
  readonly columns: readonly string[];
  readonly items: readonly Record<string, string | null>[];
  readonly total: number;
  readonly page: number;
  readonly page_size: number;
}

export interface LookupQuery {
  readonly code?: string;
  readonly name?: string;
  readonly date?: string;
  readonly page?: number;
  readonly page_size?: number;
}

const TIMEOUT_MS = 5_000;

/**
 * What the dashboard reads of the catalogue service, which holds the downloaded national catalogues (the
 * dashboard keeps no copy): the mapping screen's suggestions and 目录查询's kinds and rows. What the service does
 * not know is a 404, a query it refuses a 400 with its reason; the service unreachable or failing a 503.
 */
export class CatalogueReads {
  constructor(private readonly baseUrl: string) {}

  suggestions(fixmedins_hilist_id: string): Promise<Suggestion[]> {
    return this.get(`/catalogue/items/${encodeURIComponent(fixmedins_hilist_id)}/suggestions`);
  }

  kinds(): Promise<LookupKind[]> {
    return this.get('/catalogue/lookup');
  }

  lookup(kind: string, query: LookupQuery): Promise<LookupPage> {
    const search = new URLSearchParams(
      Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
    );
    return this.get(`/catalogue/lookup/${encodeURIComponent(kind)}?${search}`);
  }

  private async get<T>(route: string): Promise<T> {
    let answer: Response;
    try {
      answer = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new ServiceUnavailableException(`catalogue service unreachable: ${(err as Error).message}`);
    }
    if (answer.status === 404 || answer.status === 400) {
      const reason = ((await answer.json().catch(() => ({}))) as { message?: string }).message;
      const message = reason ?? `catalogue answered ${answer.status} to ${route}`;
      throw answer.status === 404 ? new NotFoundException(message) : new BadRequestException(message);
    }
    if (!answer.ok) throw new ServiceUnavailableException(`catalogue service answered ${answer.status}`);
    return (await answer.json()) as T;
  }
}
