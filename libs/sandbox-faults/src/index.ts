export { FAULT_MODE_REQUIRES, FAULT_MODES, type FaultMode } from './fault-modes';
