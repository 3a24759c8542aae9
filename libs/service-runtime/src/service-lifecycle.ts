import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OutboxRelay } from '@yb/event-store';
import { KafkaConsumerHost, KafkaPublisher } from '@yb/messaging';
import { PlatformClient, PlatformSignInError } from '@yb/platform-client';
import { type Logger } from 'pino';
import { PlatformCallRecovery } from './platform-call-recovery';
import { PlatformCallReporter } from './platform-call-reporter';
import { PlatformWorkers } from './platform-worker';
import { RegionalDictionaries } from './regional-dictionaries';
import { ReplicaName } from './replica-name';
import { type ServiceRuntimeOptions } from './service-runtime-options';
import { SERVICE_LOGGER, SERVICE_RUNTIME_OPTIONS } from './tokens';
import { waitOutAtStart } from './wait-out-at-start';

/** How often a sign-in the platform did not answer at start is tried again. */
const SIGN_IN_RETRY_MS = 5_000;

/**
 * Starts the parts in the order they depend on each other and stops them in reverse:
 * the replica's name held (ReplicaName), the region's dictionaries read and sign in (9001), then settle what a crash left unsettled → outbox relay → platform workers (the work owed
 * since the last run first) → consumer (so that no message is handled before the platform client can call
 * and the relay can publish its results). On shutdown the consumer stops first (the message in hand
 * finishes and commits), then the platform workers (the visits in hand finish), then the relay, then 9002 sign-out;
 * the database pool closes last (DatabaseModule). A platform that does not answer the sign-in at start is waited
 * out, not fatal (a restart during an outage): the service starts not ready, signs in again every few seconds, and
 * its platform calls wait like any call to an unreachable platform.
 */
@Injectable()
export class ServiceLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private signedIn = false;
  private signInRetry: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(PlatformClient) private readonly platform: PlatformClient,
    @Inject(PlatformCallRecovery) private readonly recovery: PlatformCallRecovery,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(KafkaConsumerHost) private readonly consumer: KafkaConsumerHost,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(PlatformCallReporter) private readonly reporter: PlatformCallReporter,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(RegionalDictionaries) private readonly dictionaries: RegionalDictionaries,
    @Inject(ReplicaName) private readonly replicaName: ReplicaName,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SERVICE_RUNTIME_OPTIONS) private readonly options?: ServiceRuntimeOptions,
  ) {}

  /** False for a service that sends the platform nothing (ServiceRuntimeOptions.callsPlatform). */
  get callsPlatform(): boolean {
    return this.options?.callsPlatform !== false;
  }

  /** Whether the platform client is signed in (part of readiness). */
  get platformSignedIn(): boolean {
    return this.signedIn;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopping = false;
    // Before anything is claimed under the name: a second live process given the same REPLICA_ID stops here.
    await waitOutAtStart('PostgreSQL', () => this.replicaName.hold(), this.logger);
    if (this.callsPlatform) {
      // Nothing is sent (not even a crash's leftovers) before the region's codes are known.
      const [signedIn] = await Promise.all([
        this.platform.start().then(
          () => true,
          (err: unknown) => this.signInLater(err),
        ),
        waitOutAtStart('Kafka', () => this.dictionaries.start(), this.logger),
      ]);
      // Settling the calls an earlier run left needs the platform: once it answers, when it does not now.
      if (signedIn) await this.signedInNow();
    }
    this.relay.start();
    await this.workers.start();
    await waitOutAtStart('Kafka', () => this.consumer.start(), this.logger);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.signInRetry) clearTimeout(this.signInRetry);
    await this.consumer.stop();
    await this.workers.stop();
    // The calls of the messages in hand have settled: their reports go out before the producers close.
    await this.reporter.stop();
    await this.publisher.disconnect();
    await this.relay.stop();
    await this.dictionaries.stop();
    if (this.signedIn) {
      this.signedIn = false;
      await this.platform
        .stop()
        .catch((err: unknown) => this.logger.warn({ err }, 'platform sign-out (9002) failed'));
    }
  }

  /** Signed in: the calls an earlier run left PENDING or UNKNOWN are settled (2601, or the resolver). */
  private async signedInNow(): Promise<void> {
    this.signedIn = true;
    const report = await this.platform.recover(this.recovery.resolve);
    for (const entry of report) {
      const log = entry.result === 'REVERSED' || entry.result === 'RESOLVED' ? 'info' : 'error';
      this.logger[log](entry, 'platform call left unsettled by an earlier run');
    }
  }

  /** The platform did not answer 9001 (a refusal is a configuration to fix: the start fails). */
  private signInLater(err: unknown): false {
    if (!(err instanceof PlatformSignInError && err.status === 'UNKNOWN')) throw err;
    this.logger.warn(
      { err },
      `platform unreachable at start: 9001 tried again every ${SIGN_IN_RETRY_MS / 1000} s, not ready meanwhile`,
    );
    this.retrySignIn();
    return false;
  }

  private retrySignIn(): void {
    this.signInRetry = setTimeout(() => {
      this.signInRetry = null;
      if (this.stopping) return;
      this.platform.start().then(
        () => {
          this.logger.info('platform answered: signed in (9001)');
          this.signedInNow().catch((err: unknown) =>
            this.logger.error(
              { err },
              'settling the calls an earlier run left failed; the next start tries again',
            ),
          );
        },
        (err: unknown) => {
          this.logger.debug({ err }, '9001 sign-in failed again');
          if (!this.stopping) this.retrySignIn();
        },
      );
    }, SIGN_IN_RETRY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replicaName.release();
    // An unreachable collector loses the last spans; it must not turn a clean shutdown into a failed one.
    await this.options?.telemetry
      ?.shutdown()
      .catch((err: unknown) => this.logger.warn({ err }, 'telemetry flush on shutdown failed'));
  }
}
