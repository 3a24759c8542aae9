/**
 * The simulator invents patients: it must never feed a hospital's real Kafka. It talks only to brokers on
 * this machine's loopback interface and refuses any other address, naming it.
 */
export function assertLoopbackBrokers(brokers: readonly string[]): void {
  if (brokers.length === 0) throw new Error('brokers: at least one Kafka broker (host:port) is required');
  for (const broker of brokers) {
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(broker.trim());
    if (!match) throw new Error(`brokers: "${broker}" is not host:port`);
    const host = match[1]!.replace(/^\[|\]$/g, '').toLowerCase();
    const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
    if (!loopback) {
      throw new Error(
        `brokers: "${broker}" is not a loopback address; the HIS simulator only publishes to a local broker`,
      );
    }
  }
}
