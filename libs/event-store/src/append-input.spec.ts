import {
  assertInbox,
  assertNewEvents,
  assertOutboxMessages,
  expectedVersionNumber,
  toJsonText,
} from './append-input';
import { EventStoreInputError } from './errors';

describe('append input checks', () => {
  it('reads expected versions and names the field when one is bad', () => {
    expect(expectedVersionNumber('any')).toBeNull();
    expect(expectedVersionNumber('no-stream')).toBe(0);
    expect(expectedVersionNumber(3)).toBe(3);
    for (const bad of [-1, 1.5, '3', null]) {
      expect(() => expectedVersionNumber(bad)).toThrow(/^expectedVersion must be/);
    }
  });

  it('names the event field that is wrong', () => {
    expect(() =>
      assertNewEvents([
        { type: 'A', data: {} },
        { type: '', data: {} },
      ]),
    ).toThrow('events[1].type');
    expect(() => assertNewEvents([{ type: 'A', data: {}, schemaVersion: 0 }])).toThrow(
      'events[0].schemaVersion',
    );
    expect(() => toJsonText(undefined, 'events[0].data')).toThrow(EventStoreInputError);
    expect(() => toJsonText({ amount: 1n }, 'events[2].data')).toThrow(
      /^events\[2\]\.data is not JSON-serializable/,
    );
  });

  it('names the outbox field that is wrong', () => {
    const ok = {
      messageId: '6f1c1f5e-8f0a-4a53-9d55-2f3b7c1f0a11',
      topic: 'insurance.inpatient',
      key: 'ZY1',
      payload: '{}',
    };
    expect(() => assertOutboxMessages([ok])).not.toThrow();
    expect(() => assertOutboxMessages([{ ...ok, messageId: 'm-1' }])).toThrow(
      'outbox[0].messageId must be a UUID',
    );
    expect(() => assertOutboxMessages([ok, { ...ok, payload: {} }])).toThrow('outbox[1].payload');
    expect(() => assertOutboxMessages([{ ...ok, headers: { a: 1 } }])).toThrow('outbox[0].headers.a');
  });

  it('wants the inbox message id and consumer together', () => {
    expect(() => assertInbox(undefined, undefined)).not.toThrow();
    expect(() => assertInbox('m1', undefined)).toThrow(/^inboxConsumer/);
    expect(() => assertInbox(undefined, 'admission')).toThrow(/^inboxMessageId/);
  });
});
