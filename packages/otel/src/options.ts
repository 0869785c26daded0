import { BatonError } from '@baton/core';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { ContentInfo } from './content.js';

/** Options of `instrument`. */
export interface InstrumentOptions {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider;
  /**
   * Record step inputs and outputs as `gen_ai.input.messages` /
   * `gen_ai.output.messages`. They may hold personal data: leave it off unless
   * you need it, and pair it with `redact`.
   * @default false
   */
  captureContent?: boolean;
  /**
   * Called with every value before it is recorded; return the value to record
   * (e.g. with secrets masked) or `undefined` to record nothing. If it throws,
   * nothing is recorded.
   */
  redact?: (value: unknown, info: ContentInfo) => unknown;
  /** Longest captured content, in UTF-16 code units, after serialization; longer values are cut. @default 16_384 */
  maxContentLength?: number;
  /** Emit metrics. @default true */
  metrics?: boolean;
  /** Name the plugin registers under (and the key of its checkpoint meta). @default '@baton/otel' */
  pluginName?: string;
}

/** `InstrumentOptions` with defaults applied. */
export interface CompiledInstrumentOptions {
  tracerProvider: TracerProvider | undefined;
  meterProvider: MeterProvider | undefined;
  captureContent: boolean;
  redact: ((value: unknown, info: ContentInfo) => unknown) | undefined;
  maxContentLength: number;
  metrics: boolean;
  pluginName: string;
}

/** `instrument` was given an option it cannot use. */
export class InstrumentOptionsError extends BatonError {
  constructor(option: string, received: unknown, expected: string) {
    super(
      'BATON_OTEL_INVALID_OPTIONS',
      {
        message: `Invalid option '${option}' of instrument(): expected ${expected}, received ${describe(received)}`,
      },
      'fatal',
    );
  }
}

/** Default of `maxContentLength`. */
export const DEFAULT_MAX_CONTENT_LENGTH = 16_384;
/** Default of `pluginName`. */
export const DEFAULT_PLUGIN_NAME = '@baton/otel';

/** Applies defaults once and validates; throws `InstrumentOptionsError` naming the bad option. */
export function compileOptions(options: InstrumentOptions = {}): CompiledInstrumentOptions {
  if (typeof options !== 'object' || options === null)
    throw new InstrumentOptionsError('options', options, 'an object');
  expectMethod('tracerProvider', options.tracerProvider, 'getTracer');
  expectMethod('meterProvider', options.meterProvider, 'getMeter');
  expectType('captureContent', options.captureContent, 'boolean');
  expectType('metrics', options.metrics, 'boolean');
  expectType('redact', options.redact, 'function');
  expectType('pluginName', options.pluginName, 'string');
  const max = options.maxContentLength;
  if (max !== undefined && !(Number.isInteger(max) && max >= 32)) {
    throw new InstrumentOptionsError('maxContentLength', max, 'an integer ≥ 32');
  }
  return {
    tracerProvider: options.tracerProvider,
    meterProvider: options.meterProvider,
    captureContent: options.captureContent ?? false,
    redact: options.redact,
    maxContentLength: max ?? DEFAULT_MAX_CONTENT_LENGTH,
    metrics: options.metrics ?? true,
    pluginName: options.pluginName || DEFAULT_PLUGIN_NAME,
  };
}

function expectType(option: string, value: unknown, type: 'boolean' | 'function' | 'string'): void {
  if (value !== undefined && typeof value !== type) throw new InstrumentOptionsError(option, value, `a ${type}`);
}

function expectMethod(option: string, value: unknown, method: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || typeof (value as Record<string, unknown>)[method] !== 'function') {
    throw new InstrumentOptionsError(option, value, `an object with a ${method}() method`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${Object.keys(value).slice(0, 5).join(', ') || 'no keys'})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
