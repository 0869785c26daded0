export { BatonSaver, type BatonSaverOptions } from './baton-saver.js';
export { LangGraphConfigError, LangGraphRecordError } from './errors.js';
export { threadRunId } from './thread-run.js';
export { SAVER_FORMAT, SAVER_WORKFLOW } from './records.js';
