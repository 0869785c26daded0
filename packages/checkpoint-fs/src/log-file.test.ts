import {
  CHECKPOINT_FORMAT_VERSION,
  CheckpointCorruptedError,
  GENESIS_HASH,
  sealRecord,
  type CheckpointRecord,
} from '@baton/core';
import { describe, expect, it } from 'vitest';
import { parseLog } from './log-file.js';

const workflow = { name: 'w', version: '1', hash: 'a'.repeat(64) };

function record(runId: string, seq: number, output: unknown = { seq }): CheckpointRecord {
  if (seq === 0)
    return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.started', runId, seq, at: 1000, workflow, input: null };
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'step',
    runId,
    seq,
    at: 1000 + seq,
    workflow,
    stepId: `s${seq}`,
    status: 'succeeded',
    attempt: 1,
    durationMs: 1,
    output,
  };
}

/** The lines of a valid log of `count` records (each ends with a newline). */
function lines(runId: string, count: number, output?: (seq: number) => unknown): string[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: count }, (_, seq) => {
    const sealed = sealRecord(record(runId, seq, output?.(seq)), prev);
    prev = sealed.hash;
    return `${sealed.text}\n`;
  });
}

const parse = (text: string, runId = 'r') => parseLog(Buffer.from(text, 'utf8'), runId, '/d/runs/r.jsonl');

describe('parseLog', () => {
  it('returns every record of a valid log with the chain head', () => {
    const parsed = parse(lines('r', 3).join(''));
    expect(parsed.records.map((r) => r.seq)).toEqual([0, 1, 2]);
    expect(parsed).toMatchObject({ tornBytes: 0, lastHash: parsed.records[2]!.hash });
  });

  it('reads an empty file as no records', () => {
    expect(parse('')).toEqual({ records: [], validBytes: 0, tornBytes: 0, lastHash: GENESIS_HASH, anchor: 'none' });
  });

  it('ignores every possible torn tail (each prefix of the next line), reporting its size', () => {
    const [a, b, c] = lines('r', 3) as [string, string, string];
    for (let cut = 1; cut < c.length; cut++) {
      const parsed = parse(a + b + c.slice(0, cut));
      expect(parsed.records).toHaveLength(2);
      expect(parsed.tornBytes).toBe(cut);
      expect(parsed.validBytes).toBe(Buffer.byteLength(a + b));
    }
  });

  it('treats a cut inside an output that itself contains a "hash" key as torn, not corrupted', () => {
    const [a, b] = lines('r', 2, () => ({ prev: '0'.repeat(64), hash: 'b'.repeat(64), more: 'x' })) as [string, string];
    const cut = b.indexOf('"more"');
    expect(parse(a + b.slice(0, cut)).tornBytes).toBe(cut);
  });

  it('rejects a complete record followed by stray bytes instead of its newline', () => {
    const [a, b] = lines('r', 2) as [string, string];
    expect(() => parse(`${a}${b.slice(0, -1)}X`)).toThrow(/r\.jsonl:2: a complete record is followed by 1 stray byte/);
  });

  it('names file, line and reason for a broken record in the middle', () => {
    const [a, b, c] = lines('r', 3) as [string, string, string];
    const edited = b.replace('"s1"', '"s9"');
    expect(() => parse(a + edited + c)).toThrow(CheckpointCorruptedError);
    expect(() => parse(a + edited + c)).toThrow(
      'Corrupted checkpoint at /d/runs/r.jsonl:2: SHA-256 mismatch (record was altered)',
    );
  });

  it('detects a deleted, a reordered and a blank line', () => {
    const [a, b, c] = lines('r', 3) as [string, string, string];
    expect(() => parse(a + c)).toThrow(/r\.jsonl:2: chain broken/);
    expect(() => parse(a + c + b)).toThrow(/r\.jsonl:2: chain broken/);
    expect(() => parse(`${a}\n${b}`)).toThrow(/r\.jsonl:2: not valid JSON/);
  });

  it("rejects another run's records, even a whole copied log", () => {
    expect(() => parse(lines('other', 2).join(''), 'r')).toThrow(
      `Corrupted checkpoint at /d/runs/r.jsonl:1: record belongs to run "other", not 'r'`,
    );
  });
});
