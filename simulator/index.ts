/** What other parts of the project use from the simulator: generated days with truth, and the live fleet. */
export {
  DAY_DEFAULTS,
  type DayOptions,
  type DayTruth,
  generateDay,
  type GeneratedDay,
  type TruthDropout,
  type TruthStop,
} from './day.js';
export { createFleet, type FleetSettings, fleetTick, liveFleetSettings } from './fleet.js';
export { AREAS, haversineM, type SimulatedCrs } from './plane.js';
export { createIngestPublisher, createRedisPublisher, type FixPublisher } from './publishers.js';
export { ingestRawFix, phpRawFix, phpRawMessage } from './raw-fix.js';
export { type RunningSimulation, startSimulation } from './run.js';
export { MEMBER_KINDS, type MemberKind } from './track.js';
