import { isInfrastructureError, isMessageTooLarge } from './error-kinds';
import { PermanentHandlerError, WaitOutHandlerError } from './retry-policy';

const withProps = (message: string, props: Record<string, unknown>) =>
  Object.assign(new Error(message), props);

describe('isInfrastructureError', () => {
  it.each([
    ['a refused connection', withProps('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['a reset connection', withProps('read ECONNRESET', { code: 'ECONNRESET' })],
    [
      'every address of a host refusing (AggregateError)',
      new AggregateError([withProps('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED' })], 'connect'),
    ],
    ['a PostgreSQL failover (57P01 admin_shutdown)', withProps('terminating connection', { code: '57P01' })],
    ['a server starting up (57P03)', withProps('the database system is starting up', { code: '57P03' })],
    [
      'a connection failure wrapped by TypeORM (class 08)',
      withProps('Query failed', { name: 'QueryFailedError', driverError: { code: '08006' } }),
    ],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['an unreachable broker', withProps('Connection error', { name: 'KafkaJSConnectionError' })],
    [
      'kafkajs giving up on a retriable protocol error',
      withProps('retries exceeded', {
        name: 'KafkaJSNumberOfRetriesExceeded',
        cause: withProps('no leader', { name: 'KafkaJSProtocolError', retriable: true }),
      }),
    ],
  ])('is true for %s', (_what, error) => {
    expect(isInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a business error', new Error('the platform refused the line')],
    ['a refusal', new PermanentHandlerError('no such fee line')],
    ['a constraint violation (23505)', withProps('duplicate key', { code: '23505' })],
    [
      'a non-retriable protocol error',
      withProps('too large', { name: 'KafkaJSProtocolError', retriable: false }),
    ],
    ['a thrown string', 'connect ECONNREFUSED'],
  ])('is false for %s', (_what, error) => {
    expect(isInfrastructureError(error)).toBe(false);
  });
});

describe('WaitOutHandlerError', () => {
  it('is waited out like an unreachable database, subclasses and wrapped ones too', () => {
    class RequestOutstanding extends WaitOutHandlerError {}
    expect(isInfrastructureError(new WaitOutHandlerError('not yet'))).toBe(true);
    expect(isInfrastructureError(new RequestOutstanding('2401 not answered yet'))).toBe(true);
    expect(isInfrastructureError(new Error('wrapped', { cause: new RequestOutstanding('x') }))).toBe(true);
    expect(isInfrastructureError(new PermanentHandlerError('refused'))).toBe(false);
  });
});

describe('isMessageTooLarge', () => {
  it('finds the broker refusing a record as too large, however wrapped', () => {
    const tooLarge = withProps('too large', { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE' });
    expect(isMessageTooLarge(tooLarge)).toBe(true);
    expect(
      isMessageTooLarge(withProps('gave up', { name: 'KafkaJSNonRetriableError', cause: tooLarge })),
    ).toBe(true);
    expect(isMessageTooLarge(withProps('no leader', { type: 'LEADER_NOT_AVAILABLE' }))).toBe(false);
  });
});
