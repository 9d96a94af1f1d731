export { recordArrivalQuarantine } from './arrival.js';
export { type Arrival, type FlaggedPart, reporterContact, SCAN_CAP_BYTES, scanArrival } from './scanner.js';
