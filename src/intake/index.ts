export {
  type Channel,
  createIntakeService,
  type IntakeService,
  MESSAGE_LIMITS,
  type Receipt,
  type Submission,
} from './intake-service.js';
export { type IntakeRouteDeps, intakePlugin } from './plugin.js';
