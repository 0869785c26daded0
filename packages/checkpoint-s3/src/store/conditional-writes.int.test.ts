import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckpointStoreError, createSupervisor, defineWorkflow } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startedRecord } from '../testing/records.js';
import { ConditionalWritesUnsupportedError } from './probe.js';
import { S3CheckpointStore } from './s3-checkpoint-store.js';

// Stub S3 servers on 127.0.0.1 (port 0), speaking just enough of the S3 REST API for the store:
// PutObject, GetObject and ListObjectsV2 on path-style URLs. Each one misbehaves in one way.

const BUCKET = 'stub-bucket';

/** How a stub answers one PutObject: as S3 does, ignoring the conditional headers, or with 501. */
type PutPolicy = (request: {
  key: string;
  ifNoneMatch: boolean;
  ifMatch: boolean;
}) => 'honour' | 'ignore' | 'not-implemented';

interface StubS3 {
  endpoint: string;
  /** Every request, as `METHOD key` (`LIST prefix` for listings). */
  requests: string[];
  /** Keys currently stored. */
  keys(): string[];
  close(): Promise<void>;
}

async function startStubS3(policy: PutPolicy): Promise<StubS3> {
  const objects = new Map<string, { body: Buffer; etag: string }>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => xmlError(response, 500, 'InternalError', String(error)));
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://stub');
    const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
    if (request.method === 'GET' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      requests.push(`LIST ${prefix}`);
      return listObjects(
        response,
        prefix,
        [...objects].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    requests.push(`${request.method} ${key}`);
    if (request.method === 'PUT') {
      const ifNoneMatch = request.headers['if-none-match'];
      const ifMatch = request.headers['if-match'];
      const conditional = ifNoneMatch !== undefined || ifMatch !== undefined;
      const verdict = policy({ key, ifNoneMatch: ifNoneMatch !== undefined, ifMatch: ifMatch !== undefined });
      if (verdict === 'not-implemented' && conditional)
        return xmlError(
          response,
          501,
          'NotImplemented',
          'A header you provided implies functionality that is not implemented',
        );
      if (verdict === 'honour') {
        const existing = objects.get(key);
        const stale = ifMatch !== undefined && (!existing || existing.etag !== String(ifMatch).replaceAll('"', ''));
        if ((ifNoneMatch === '*' && existing) || stale)
          return xmlError(
            response,
            412,
            'PreconditionFailed',
            'At least one of the preconditions you specified did not hold',
          );
      }
      const etag = createHash('md5').update(body).digest('hex');
      objects.set(key, { body, etag });
      response.writeHead(200, { ETag: `"${etag}"` }).end();
      return;
    }
    if (request.method === 'GET') {
      const object = objects.get(key);
      if (!object) return xmlError(response, 404, 'NoSuchKey', 'The specified key does not exist.');
      response
        .writeHead(200, {
          ETag: `"${object.etag}"`,
          'Content-Type': 'application/json',
          'Content-Length': object.body.length,
        })
        .end(object.body);
      return;
    }
    xmlError(response, 501, 'NotImplemented', `${request.method} is not implemented by this stub`);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    keys: () => [...objects.keys()],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function xmlError(response: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>stub</RequestId></Error>`;
  response.writeHead(status, { 'Content-Type': 'application/xml' }).end(xml);
}

function listObjects(
  response: ServerResponse,
  prefix: string,
  entries: [string, { body: Buffer; etag: string }][],
): void {
  const contents = entries
    .map(
      ([key, object]) =>
        `<Contents><Key>${key}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"${object.etag}"</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>${prefix}</Prefix><KeyCount>${entries.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`;
  response.writeHead(200, { 'Content-Type': 'application/xml' }).end(xml);
}

describe('S3 servers that do not honour conditional writes (stub HTTP servers)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(policy: PutPolicy): Promise<{ stub: StubS3; store: S3CheckpointStore }> {
    const stub = await startStubS3(policy);
    cleanups.push(() => stub.close());
    const store = new S3CheckpointStore({
      bucket: BUCKET,
      prefix: 'p/',
      clientConfig: {
        endpoint: stub.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
      },
      retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 1 },
    });
    cleanups.push(() => store.close());
    return { stub, store };
  }

  it('refuses to run against a server that ignores If-None-Match and If-Match, naming the endpoint; it writes no record', async () => {
    const { stub, store } = await setUp(() => 'ignore');
    const refused = store.append(startedRecord('run-1'));
    await expect(refused).rejects.toBeInstanceOf(ConditionalWritesUnsupportedError);
    await expect(refused).rejects.toMatchObject({
      code: 'BATON_CHECKPOINT_STORE',
      kind: 'fatal',
      endpoint: `${stub.endpoint} (bucket '${BUCKET}')`,
    });
    await expect(refused).rejects.toThrow(
      `The S3 server at ${stub.endpoint} (bucket '${BUCKET}') does not honour conditional writes (a PutObject with If-None-Match: * on the existing s3://${BUCKET}/p/probe/conditional-writes.json succeeded)`,
    );
    // The supervisor cannot take a lease either, so no step ever runs.
    let ran = false;
    const workflow = defineWorkflow({
      name: 'stub',
      version: '1',
      steps: {
        a: {
          run: () => {
            ran = true;
          },
        },
      },
    });
    await expect(createSupervisor({ store }).run(workflow, undefined, { runId: 'run-2' })).rejects.toBeInstanceOf(
      ConditionalWritesUnsupportedError,
    );
    expect(ran).toBe(false);
    await expect(store.acquire('run-3')).rejects.toBeInstanceOf(ConditionalWritesUnsupportedError);
    expect(stub.keys()).toEqual(['p/probe/conditional-writes.json']);
    expect(stub.requests.every((request) => request === 'PUT p/probe/conditional-writes.json')).toBe(true);
  });

  it('refuses a server that honours If-None-Match but ignores If-Match', async () => {
    const { stub, store } = await setUp(({ ifMatch }) => (ifMatch ? 'ignore' : 'honour'));
    await expect(store.acquire('run-1')).rejects.toThrow(
      `The S3 server at ${stub.endpoint} (bucket '${BUCKET}') does not honour conditional writes (a PutObject with an If-Match ETag that matches nothing on s3://${BUCKET}/p/probe/conditional-writes.json succeeded)`,
    );
    expect(stub.keys()).toEqual(['p/probe/conditional-writes.json']);
  });

  it('treats 501 NotImplemented to a conditional PutObject as fatal at once: one request, no retries', async () => {
    const { stub, store } = await setUp(() => 'not-implemented');
    const refused = store.append(startedRecord('run-1'));
    await expect(refused).rejects.toBeInstanceOf(ConditionalWritesUnsupportedError);
    await expect(refused).rejects.toThrow(
      `The S3 server at ${stub.endpoint} (bucket '${BUCKET}') does not honour conditional writes (a conditional PutObject was answered 501 NotImplemented)`,
    );
    expect(stub.requests).toEqual(['PUT p/probe/conditional-writes.json']);
  });

  it('treats 501 NotImplemented to a record PutObject as fatal at once, after a probe that passed', async () => {
    const { stub, store } = await setUp(({ key }) => (key.includes('/probe/') ? 'honour' : 'not-implemented'));
    const refused = store.append(startedRecord('run-1'));
    await expect(refused).rejects.toBeInstanceOf(CheckpointStoreError);
    await expect(refused).rejects.toMatchObject({ kind: 'fatal' });
    await expect(refused).rejects.toThrow(
      /^S3 conditional PutObject of s3:\/\/stub-bucket\/p\/runs\/run-1\/records\/000000000000\.json failed: the server does not implement it \(NotImplemented 501\)/,
    );
    const recordPuts = stub.requests.filter((request) => request.startsWith('PUT p/runs/'));
    expect(recordPuts).toEqual(['PUT p/runs/run-1/records/000000000000.json']);
  });
});
