import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { settlementConfigFromEnv } from './settlement-config';
import { SETTLEMENT_HTTP_PORT, SettlementModule } from './settlement.module';

/** Reads the configuration from the environment and starts the service (main.ts, after telemetry). */
export async function startSettlement(telemetry: Telemetry): Promise<void> {
  const config = serviceConfigFromEnv({ serviceName: 'settlement', httpPort: SETTLEMENT_HTTP_PORT });
  await bootstrapService(SettlementModule.forRoot(config, settlementConfigFromEnv(), telemetry));
}
