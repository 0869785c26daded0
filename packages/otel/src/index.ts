export { instrument, INSTRUMENTATION_SCOPE } from './instrument.js';
export type { Detach, InstrumentableSupervisor } from './instrument.js';
export { InstrumentOptionsError, DEFAULT_MAX_CONTENT_LENGTH, DEFAULT_PLUGIN_NAME } from './options.js';
export type { InstrumentOptions } from './options.js';
export type { ContentInfo } from './content.js';
export { formatTraceparent, parseTraceparent } from './trace-context.js';
export type { StoredTraceContext } from './trace-context.js';
export * from './attributes.js';
