export { BatonError, type BatonErrorOptions, type ErrorKind } from './baton-error.js';
export * from './errors.js';
