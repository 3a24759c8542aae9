// Writes docs/asyncapi/asyncapi.json from the contract registry, and the generated sections of
// docs/his-integration.md (an example record per HIS message, the result messages). Run from the repository root:
//   node -r ./tools/runtime/ts-register.js libs/contracts/scripts/generate-asyncapi.ts
// A test fails when the committed document or walk-through differs from a fresh generation.
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import {
  ASYNCAPI_DOCUMENT_PATH,
  HIS_INTEGRATION_PATH,
  renderAsyncApiDocument,
  renderHisIntegration,
} from '../src/asyncapi-file';

async function write(path: string, text: string, parser: 'json' | 'markdown'): Promise<void> {
  // Formatted like the rest of the repository, so that `npm run format:check` stays green.
  const options = await resolveConfig(path);
  writeFileSync(path, await format(text, { ...options, parser }));
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  await write(ASYNCAPI_DOCUMENT_PATH, renderAsyncApiDocument(), 'json');
  await write(
    HIS_INTEGRATION_PATH,
    renderHisIntegration(readFileSync(HIS_INTEGRATION_PATH, 'utf8')),
    'markdown',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
