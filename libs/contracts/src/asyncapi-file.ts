import { join } from 'node:path';
import { buildAsyncApiDocument } from './asyncapi';

/** Where the committed AsyncAPI document lives. */
export const ASYNCAPI_DOCUMENT_PATH = join(__dirname, '../../../docs/asyncapi/asyncapi.json');

/** The document as JSON text (the generation script formats it with prettier before writing). */
export function renderAsyncApiDocument(): string {
  return `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
}
