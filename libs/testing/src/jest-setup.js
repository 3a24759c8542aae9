/* global jest */
// Integration tests wait on a real broker and database: allow them a minute, not Jest's 5 s.
jest.setTimeout(60_000);
