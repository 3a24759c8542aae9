// Writes docs/asyncapi/asyncapi.json from the contract registry. Run from the repository root:
//   node -r ./tools/runtime/ts-register.js libs/contracts/scripts/generate-asyncapi.ts
// A test fails when the committed document differs from a fresh generation.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { ASYNCAPI_DOCUMENT_PATH, renderAsyncApiDocument } from '../src/asyncapi-file';

async function main(): Promise<void> {
  // Formatted like the rest of the repository, so that `npm run format:check` stays green.
  const options = await resolveConfig(ASYNCAPI_DOCUMENT_PATH);
  writeFileSync(
    ASYNCAPI_DOCUMENT_PATH,
    await format(renderAsyncApiDocument(), { ...options, parser: 'json' }),
  );
  console.log(`wrote ${ASYNCAPI_DOCUMENT_PATH}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
