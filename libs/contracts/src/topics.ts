/** The services that receive commands on their own `insurance.commands.<service>` topic. */
export const COMMAND_SERVICES = [
  'admission',
  'fee-detail',
  'settlement',
  'quality',
  'reporting',
  'reconciliation',
  'catalogue',
] as const;
export type CommandService = (typeof COMMAND_SERVICES)[number];

/**
 * Kafka topics. Every topic is keyed by the HIS visit id (`ipt_no`), so a visit's messages stay in order
 * across types; every topic has a dead-letter twin `<topic>.dlq`.
 */
export const Topics = {
  /** What the HIS did for an inpatient: admission, fees, discharge and settlement requests. */
  hisInpatient: 'his.inpatient',
  /** The HIS's clinical records: medical record homepage, orders, exam/lab/pathology reports. */
  hisClinical: 'his.clinical',
  /** The outcomes of platform transactions, for the HIS and the billing dashboard. */
  insuranceInpatient: 'insurance.inpatient',
  /** The HIS's own item list (收费项目 / 药品字典), for mapping to national codes (catalogue). */
  hisCatalogue: 'his.catalogue',
  /**
   * Each hospital item's mapping to a national code, with its price limit and validity (catalogue → fee-detail);
   * compacted: the latest record per item is its mapping.
   */
  catalogueMappings: 'insurance.catalogue.mappings',
  /**
   * The region's 1901 dictionaries as last downloaded (catalogue → every service calling the platform), one record
   * per dictionary type; compacted: the latest record per type is the dictionary.
   */
  catalogueDictionaries: 'insurance.catalogue.dictionaries',
  /** Each catalogue's version as last downloaded (catalogue → the dashboard), one record per catalogue (infno). */
  catalogueVersions: 'insurance.catalogue.versions',
  /** One record per platform call (interface, outcome, latency), for the dashboard's platform health view. */
  platformCalls: 'insurance.platform-calls',
  /** Reconciliation with the platform (对账): groups checked, differences found and resolved, keyed by day. */
  reconciliation: 'insurance.reconciliation',
  /** The month's clearing applications (清算申请) per clr_type × setl_optins: applied, refused, withdrawn; keyed by month. */
  clearing: 'insurance.clearing',
} as const;

export type EventTopic = (typeof Topics)[keyof typeof Topics];

/** The topic on which one service receives commands from the others (e.g. the settlement saga). */
export function commandTopic(service: CommandService): `insurance.commands.${CommandService}` {
  return `insurance.commands.${service}`;
}

export const DLQ_SUFFIX = '.dlq';

/** The dead-letter topic of `topic`: where messages that cannot be handled go, with the reason. */
export function dlqTopic(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/**
 * Topics read whole from their start by every process that needs them (cleanup.policy=compact): the latest
 * record per key is the state, older ones may go. Provisioning creates them compacted.
 */
export const COMPACTED_TOPICS: readonly string[] = [
  Topics.catalogueMappings,
  Topics.catalogueDictionaries,
  Topics.catalogueVersions,
];

/** Whether `name` is a compacted topic, under any installation prefix (`<prefix><topic>`). */
export function isCompactedTopic(name: string): boolean {
  return COMPACTED_TOPICS.some((topic) => name.endsWith(topic));
}

/** Every topic the product uses, without dead-letter twins: for provisioning scripts. */
export const ALL_TOPICS: readonly string[] = [
  ...Object.values(Topics),
  ...COMMAND_SERVICES.map(commandTopic),
];
