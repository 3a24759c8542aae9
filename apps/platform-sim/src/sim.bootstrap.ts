import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_SIM_OPTIONS, type PlatformSimOptions } from './sim-config';
import { SimModule } from './sim.module';

export interface StartPlatformSimOptions extends Partial<PlatformSimOptions> {
  /** Where the books live: required, so that no caller shares another's books by default. */
  readonly books: PlatformSimOptions['books'];
  /** Nest's logger: levels of its own (default: warnings and errors), or a logger to route it to (main.ts: pino). */
  readonly logger?: LogLevel[] | LoggerService;
}

export interface RunningPlatformSim {
  /** Base URL, e.g. http://127.0.0.1:8780: give it to the client as NHSA_BASE_URL. */
  readonly url: string;
  readonly app: NestExpressApplication;
  close(): Promise<void>;
}

/**
 * Starts the simulated platform on its books (replayed from its schema's log first); port 0 picks a free
 * loopback port.
 */
export async function startPlatformSim(options: StartPlatformSimOptions): Promise<RunningPlatformSim> {
  const { logger = ['error', 'warn'], ...overrides } = options;
  const resolved: PlatformSimOptions = { ...DEFAULT_SIM_OPTIONS, ...overrides };
  // The platform endpoints read the raw body themselves: gateway signatures cover the exact bytes.
  const app = await NestFactory.create<NestExpressApplication>(SimModule.forOptions(resolved), {
    bodyParser: false,
    logger,
    // Books that cannot be opened or replayed reject with their reason instead of ending the process.
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.listen(resolved.port, resolved.host);
  const server = app.getHttpServer() as Server;
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    app,
    close: async () => {
      // Held (timed-out) exchanges keep sockets open; drop them so close() returns at once.
      server.closeAllConnections();
      await app.close();
    },
  };
}
