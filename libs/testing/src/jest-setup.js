/* global jest */
// Integration tests wait on a real broker and database: allow them a minute, not Jest's 5 s.
jest.setTimeout(60_000);

// Every test's platform call journal sealed (services started from a test inherit the key): a fresh key per
// test file, as nothing outlives the file's schemas.
process.env.NHSA_JOURNAL_KEYS ??= `test:${require('node:crypto').randomBytes(32).toString('base64')}`;
