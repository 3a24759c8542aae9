import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';

/** One Kafka admin client for the service's probes (readiness, consumer lag), connected on first use. */
@Injectable()
export class KafkaAdminConnection implements OnApplicationShutdown {
  private admin: Promise<Admin> | null = null;

  constructor(@Inject(Kafka) private readonly kafka: Kafka) {}

  /** The connected admin; a failed connection is tried again on the next call. */
  get(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = null;
      throw err;
    });
    return this.admin;
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin.catch(() => null))?.disconnect();
  }
}

/** `work`, or a rejection "no answer within <ms> ms" when it has not settled by then. */
export async function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
