export { BatonError, type BatonErrorOptions, type ErrorKind } from './baton-error.js';
export * from './errors.js';
export { SchemaValidationError, type SchemaBoundary, type SchemaIssue } from './schema-validation-error.js';
export {
  BudgetExceededError,
  InvalidInputError,
  RunNotSuspendedError,
  UnknownWaitError,
  WaitTimeoutError,
} from './wait-errors.js';
