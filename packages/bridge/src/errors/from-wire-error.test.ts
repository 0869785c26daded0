import { CancelledError, classifyError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { RpcErrorCode } from '../protocol/constants.js';
import { BridgeConfigError } from './bridge-config-error.js';
import { BridgeCrashError } from './bridge-crash-error.js';
import { BridgeFrameworkMissingError } from './bridge-framework-missing-error.js';
import { BridgeProtocolError } from './bridge-protocol-error.js';
import { BridgeRunError } from './bridge-run-error.js';
import { fromWireError } from './from-wire-error.js';

describe('fromWireError', () => {
  it('maps each wire code to a classified Baton error', () => {
    expect(fromWireError({ code: RpcErrorCode.RequestCancelled, message: 'c' })).toBeInstanceOf(CancelledError);
    const missing = fromWireError({
      code: RpcErrorCode.FrameworkMissing,
      message: 'no crewai',
      data: { framework: 'crewai', installHint: 'pip install crewai', runner: 'crewai' },
    });
    expect(missing).toBeInstanceOf(BridgeFrameworkMissingError);
    expect(missing).toMatchObject({ framework: 'crewai', installHint: 'pip install crewai', runner: 'crewai' });
    expect(classifyError(missing).kind).toBe('fatal');
    expect(fromWireError({ code: RpcErrorCode.ShuttingDown, message: 'bye' })).toBeInstanceOf(BridgeCrashError);
    expect(fromWireError({ code: RpcErrorCode.MethodNotFound, message: 'x' })).toBeInstanceOf(BridgeProtocolError);
    for (const code of [
      RpcErrorCode.RunnerNotFound,
      RpcErrorCode.TargetError,
      RpcErrorCode.InvalidParams,
      RpcErrorCode.OutputInvalid,
      RpcErrorCode.FrameTooLarge,
    ]) {
      const error = fromWireError({ code, message: 'bad' });
      expect(error).toBeInstanceOf(BridgeConfigError);
      expect(classifyError(error).kind).toBe('fatal');
    }
  });

  it('keeps a run failure unclassified unless the Python side gave a kind or a status', () => {
    const plain = fromWireError({
      code: RpcErrorCode.RunFailed,
      message: 'boom',
      data: { type: 'builtins.RuntimeError', traceback: 'tb' },
    });
    expect(plain).toBeInstanceOf(BridgeRunError);
    expect(plain).toMatchObject({ kind: undefined, pythonType: 'builtins.RuntimeError', pythonTraceback: 'tb' });
    expect(classifyError(plain, { unknownKind: 'fatal' }).kind).toBe('fatal');
    expect(
      classifyError(fromWireError({ code: RpcErrorCode.RunFailed, message: 'x', data: { kind: 'timeout' } })).kind,
    ).toBe('timeout');
    expect(
      classifyError(fromWireError({ code: RpcErrorCode.RunFailed, message: 'x', data: { status: 503 } })).kind,
    ).toBe('retryable');
    expect(
      classifyError(fromWireError({ code: RpcErrorCode.RunFailed, message: 'x', data: { kind: 'bogus', status: 400 } }))
        .kind,
    ).toBe('fatal');
  });
});
