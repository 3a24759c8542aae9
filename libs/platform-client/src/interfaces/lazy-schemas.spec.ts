import { inFreshProcess } from '@yb/testing';

// In a process of its own (Jest's module registry is not Node's): which interface modules loading the library
// builds, and which a first use of 2401 does.
const probe = `
const loaded = () => Object.keys(require.cache)
  .map((f) => f.match(/platform-client[\\\\/]src[\\\\/]interfaces[\\\\/]([\\w-]+)\\.ts$/)?.[1])
  .filter((m) => ['admission', 'settlement', 'fee-detail', 'audit', 'clearing'].includes(m))
  .sort();
const { INTERFACE_SCHEMAS, validateInput } = require('@yb/platform-client');
const atLoad = loaded();
const schema = INTERFACE_SCHEMAS['2401'].input;
console.log(JSON.stringify({ atLoad, afterUse: loaded(), same: schema === INTERFACE_SCHEMAS['2401'].input, typeName: schema._def.typeName, checks: typeof validateInput }));
`;

describe('interface schemas are built on first use', () => {
  it('loading the library builds none of the interface modules; a first use builds its own, once', () => {
    expect(inFreshProcess(probe)).toEqual({
      atLoad: [],
      afterUse: ['admission'],
      same: true,
      typeName: 'ZodObject',
      checks: 'function',
    });
  });
});
