import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';

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

const TIMEOUT_MS = 5_000;

/**
 * The mapping screen's suggestions, asked of the catalogue service (`GET /catalogue/items/:id/suggestions`),
 * which holds the downloaded national catalogue: the dashboard keeps no copy of it. An item the service does not
 * know is a 404; the service unreachable or failing a 503 (the person types the code instead).
 */
export class CatalogueSuggestions {
  constructor(private readonly baseUrl: string) {}

  async of(fixmedins_hilist_id: string): Promise<Suggestion[]> {
    let answer: Response;
    try {
      answer = await fetch(
        `${this.baseUrl}/catalogue/items/${encodeURIComponent(fixmedins_hilist_id)}/suggestions`,
        {
          signal: AbortSignal.timeout(TIMEOUT_MS),
        },
      );
    } catch (err) {
      throw new ServiceUnavailableException(`catalogue service unreachable: ${(err as Error).message}`);
    }
    if (answer.status === 404)
      throw new NotFoundException(`catalogue does not know item ${fixmedins_hilist_id}`);
    if (!answer.ok) throw new ServiceUnavailableException(`catalogue service answered ${answer.status}`);
    return (await answer.json()) as Suggestion[];
  }
}
