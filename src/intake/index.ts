export {
  IntakePausedError,
  PROOF_HEADER,
  ProofRejectedError,
  ProofRequiredError,
  WaitLongerError,
} from './gate-errors.js';
export type { ChallengeView, GatePass, IntakeGate, Presented } from './intake-gate.js';
export type { IntakePause, IntakePauseState, IntakePauses } from './intake-pause.js';
export {
  type Channel,
  createIntakeService,
  type IntakeService,
  MESSAGE_LIMITS,
  type Receipt,
  type Submission,
} from './intake-service.js';
export { type IntakeRouteDeps, intakePlugin } from './plugin.js';
