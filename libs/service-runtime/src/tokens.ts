/** Injection tokens of what the runtime provides besides its classes (DataSource, EventStore, Kafka …). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The service's pino logger (trace ids, patient identifiers masked). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
/** The service's ServiceMetrics (its own prom-client registry). */
export const SERVICE_METRICS = Symbol('SERVICE_METRICS');
/** The options given to ServiceRuntimeModule.forRoot. */
export const SERVICE_RUNTIME_OPTIONS = Symbol('SERVICE_RUNTIME_OPTIONS');
