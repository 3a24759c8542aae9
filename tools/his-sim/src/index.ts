export { startHisSimulator } from './his-simulator';
export type { HisSimulator, HisSimulatorOptions, HisSimulatorStats, StopReason } from './his-simulator';
export { hospitalTimeline, allocateBeds, visitPrefixFor } from './hospital-timeline';
export type { HospitalOptions, TimelineStep, Bed } from './hospital-timeline';
export { generateEpisode } from './episode/episode-generator';
export type { Episode, EpisodeOptions, SimulatedMessage } from './episode/episode-generator';
export type { VisitRecord, MessageRecord } from './manifest';
export { parseCommandLine, parseRate, parseDuration, USAGE } from './cli-options';
