import { buildProjectGraph, lintAs } from './lint-as';

// docs/service-anatomy.md: an aggregate's core (decider, state, events, commands) imports no framework,
// database or broker, and other libraries' values only from the core ones; core libraries depend on core
// libraries only. Each rule is seeded with a file that breaks it.
const RULE = /no-restricted-imports/;

describe("an aggregate's core files", () => {
  it.each([
    ['apps/admission/src/visit/probe.decider.ts', "import { Injectable } from '@nestjs/common';"],
    ['apps/settlement/src/saga/probe.state.ts', "import { type DataSource } from 'typeorm';"],
    ['apps/quality/src/audit-case/probe.events.ts', "import { type Pool } from 'pg';"],
    ['apps/fee-detail/src/fee-ledger/probe.commands.ts', "import { type KafkaMessage } from 'kafkajs';"],
  ])('refuses %s importing a framework, database or broker, even as a type', (file, line) => {
    const res = lintAs(file, `${line}\nexport type Probe = unknown;\n`);
    expect(res.status).toBe(1);
    expect(res.output).toMatch(RULE);
  });

  it.each([
    ["import { CommandHandler } from '@yb/event-store';", 'CommandHandler'],
    ["import { shanghaiDateTime } from '@yb/platform-client';", 'shanghaiDateTime'],
    ["import { randomUUID } from 'node:crypto';", 'randomUUID'],
  ])('refuses a value imported from another library: %s', (line, name) => {
    const res = lintAs(
      'apps/reporting/src/report/probe.decider.ts',
      `${line}\nexport const probe = ${name};\n`,
    );
    expect(res.status).toBe(1);
    expect(res.output).toMatch(RULE);
  });

  it('lets it import types from any library, values from its aggregate, @yb/contracts, decimal.js and immutable', () => {
    const res = lintAs(
      'apps/settlement/src/saga/probe.decider.ts',
      [
        "import Decimal from 'decimal.js';",
        "import { OrderedMap } from 'immutable';",
        "import { type Decider } from '@yb/event-store';",
        "import { type Output2304 } from '@yb/platform-client';",
        "import { SETTLEMENT_SAGA_STATES } from '@yb/contracts';",
        "import { initialSagaState } from './saga.state';",
        'export type Probe = [Decider<never, never, never>, Output2304];',
        'export const probe = [new Decimal(1), OrderedMap(), SETTLEMENT_SAGA_STATES, initialSagaState];',
        '',
      ].join('\n'),
    );
    expect(res.output).not.toMatch(RULE);
  });

  it('leaves the workflow beside them free to use the runtime', () => {
    const res = lintAs(
      'apps/admission/src/visit/probe-workflow.ts',
      "import { CommandHandler } from '@yb/event-store';\nexport const probe = CommandHandler;\n",
    );
    expect(res.output).not.toMatch(RULE);
  });
});

describe('library layers', () => {
  beforeAll(() => expect(buildProjectGraph()).toBe(0));

  it('refuses a core library (contracts) that depends on a runtime one', () => {
    const res = lintAs(
      'libs/contracts/src/layer-probe.ts',
      "import { EventStore } from '@yb/event-store';\nexport const probe = EventStore;\n",
    );
    expect(res.status).toBe(1);
    expect(res.output).toMatch(/enforce-module-boundaries/);
  });

  it('lets a runtime library depend on a core one', () => {
    const res = lintAs(
      'libs/messaging/src/layer-probe.ts',
      "import { Topics } from '@yb/contracts';\nexport const probe = Topics;\n",
    );
    expect(res.output).not.toMatch(/enforce-module-boundaries/);
  });
});
