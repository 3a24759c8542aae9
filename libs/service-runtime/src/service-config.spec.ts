import { hostname } from 'node:os';
import { ServiceConfigError, serviceConfigFromEnv, topicName } from './service-config';

const defaults = { serviceName: 'fee-detail', httpPort: 8782 };

const valid: NodeJS.ProcessEnv = {
  KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9093',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/yibao',
  NHSA_BASE_URL: 'http://127.0.0.1:8780',
  NHSA_FIXMEDINS_CODE: 'H42010200123',
  NHSA_FIXMEDINS_NAME: '武汉市某某医院',
  NHSA_MDTRTAREA_ADMVS: '420100',
  NHSA_OPTER_TYPE: '1',
  NHSA_OPTER: 'OP001',
  NHSA_OPTER_NAME: '张收费',
  NHSA_SIGN_IN_IP: '10.0.0.8',
};

function failureOf(env: NodeJS.ProcessEnv): ServiceConfigError {
  try {
    serviceConfigFromEnv(defaults, env);
  } catch (err) {
    if (err instanceof ServiceConfigError) return err;
    throw err;
  }
  throw new Error('expected a ServiceConfigError');
}

describe('serviceConfigFromEnv', () => {
  it('reads a complete environment, with defaults derived from the service name', () => {
    const config = serviceConfigFromEnv(defaults, valid);
    expect(config).toMatchObject({
      serviceName: 'fee-detail',
      replicaId: `fee-detail@${hostname()}`,
      kafkaBrokers: ['127.0.0.1:9092', 'kafka-2:9093'],
      consumerGroup: 'fee-detail',
      topicPrefix: '',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/yibao',
      databasePoolSize: 10,
      consumerKeyConcurrency: 8,
      schema: 'fee_detail',
      httpHost: '0.0.0.0',
      httpPort: 8782,
      retention: { inboxDays: 14, platformCallJournalDays: 180, deadLetterPayloadDays: 30 },
    });
    expect(config.platform.fixmedins_code).toBe('H42010200123');
    expect(topicName(config, 'his.inpatient')).toBe('his.inpatient');
  });

  it('takes the overrides tests and deployments set', () => {
    const config = serviceConfigFromEnv(defaults, {
      ...valid,
      KAFKA_CONSUMER_GROUP: 'fee-detail-blue',
      KAFKA_TOPIC_PREFIX: 't-42.',
      SERVICE_SCHEMA: 't_fee_42',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      INBOX_RETENTION_DAYS: '30',
      PLATFORM_CALL_JOURNAL_RETENTION_DAYS: '400',
      DEAD_LETTER_PAYLOAD_RETENTION_DAYS: '7',
      REPLICA_ID: 'fee-detail-7d9c5b-x2k4q',
    });
    expect(config).toMatchObject({
      replicaId: 'fee-detail-7d9c5b-x2k4q',
      consumerGroup: 'fee-detail-blue',
      schema: 't_fee_42',
      httpHost: '127.0.0.1',
      httpPort: 0,
      retention: { inboxDays: 30, platformCallJournalDays: 400, deadLetterPayloadDays: 7 },
    });
    expect(topicName(config, 'his.inpatient')).toBe('t-42.his.inpatient');
  });

  it.each([
    ['KAFKA_BROKERS', undefined, /is required/],
    ['KAFKA_BROKERS', 'localhost', /host:port/],
    ['DATABASE_URL', undefined, /is required/],
    ['DATABASE_URL', 'mysql://db/x', /postgres:\/\//],
    ['SERVICE_SCHEMA', 'Fee-Detail', /PostgreSQL identifier/],
    ['HTTP_PORT', 'eighty', /port number/],
    ['HTTP_PORT', '70000', /port number/],
    ['KAFKA_TOPIC_PREFIX', 'a b', /letters, digits/],
    ['REPLICA_ID', 'pod 1', /letters, digits/],
    ['INBOX_RETENTION_DAYS', '0', /whole number of days/],
    ['PLATFORM_CALL_JOURNAL_RETENTION_DAYS', '1.5', /whole number of days/],
    ['NHSA_BASE_URL', undefined, /Required/],
    ['NHSA_FIXMEDINS_CODE', 'H42', /12 character/],
    ['NHSA_SIGN_IN_IP', undefined, /Required/],
  ])('names %s when it is %s', (variable, value, problem) => {
    const error = failureOf({ ...valid, [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(problem);
  });

  it('sizes the pool and the visits handled at once, keeping a connection spare for each visit holding its lock', () => {
    expect(
      serviceConfigFromEnv(defaults, { ...valid, DATABASE_POOL_SIZE: '30', CONSUMER_KEY_CONCURRENCY: '24' }),
    ).toMatchObject({ databasePoolSize: 30, consumerKeyConcurrency: 24 });
    expect(failureOf({ ...valid, CONSUMER_KEY_CONCURRENCY: '10' })).toMatchObject({
      variable: 'CONSUMER_KEY_CONCURRENCY',
      problem: expect.stringContaining('must be below DATABASE_POOL_SIZE (10)'),
    });
    expect(failureOf({ ...valid, DATABASE_POOL_SIZE: '1' }).variable).toBe('DATABASE_POOL_SIZE');
  });

  it('treats an empty variable as unset', () => {
    expect(failureOf({ ...valid, DATABASE_URL: '' }).variable).toBe('DATABASE_URL');
    expect(serviceConfigFromEnv(defaults, { ...valid, HTTP_PORT: '' }).httpPort).toBe(8782);
  });
});
