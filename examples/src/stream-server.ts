// A server that streams a run's events to a browser as Server-Sent Events, with `node:http` and no framework.
// `GET /runs?topic=tides` starts a run and streams it; `POST /runs/<id>/cancel` cancels it. A client that goes away
// (closes the tab) ends its stream, not the run. Run it:
// `pnpm --filter @baton/examples build && node dist/stream-server.js`, then `curl -N 'localhost:4700/runs?topic=tides'`.
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createSupervisor, type RunHandle, type Supervisor, toSSEResponse, workflow } from '@baton/core';
import { z } from 'zod';

/** A workflow that reports progress as it goes (no model needed). */
export const streamedResearch = workflow({
  name: 'streamed-research',
  version: '1.0.0',
  input: z.object({ topic: z.string().min(1) }),
})
  .step('plan', (input) => ({ topic: input.topic, questions: ['what', 'why', 'how'] }))
  .step('search', {
    needs: ['plan'],
    run: (plan, ctx) => {
      for (const question of plan.questions) ctx.emit({ searching: `${plan.topic}: ${question}` });
      return plan.questions.map((question) => `${plan.topic} ${question}`);
    },
  })
  .step('write', { needs: ['search'], run: (hits) => hits.join('\n') })
  .build();

/** Serves `GET /runs?topic=…` (an SSE stream of a new run) and `POST /runs/<id>/cancel`. */
export function createStreamServer(supervisor: Supervisor = createSupervisor()): Server {
  const running = new Map<string, RunHandle>();
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cancel = /^\/runs\/([\w.-]+)\/cancel$/.exec(url.pathname);
    if (request.method === 'POST' && cancel) {
      const handle = running.get(cancel[1]!);
      handle?.cancel('cancelled over HTTP');
      response.writeHead(handle ? 202 : 404).end();
      return;
    }
    if (request.method !== 'GET' || url.pathname !== '/runs') {
      response.writeHead(404).end();
      return;
    }
    const handle = supervisor.start(streamedResearch, { topic: url.searchParams.get('topic') ?? '' });
    running.set(handle.runId, handle);
    handle.result.finally(() => running.delete(handle.runId)).catch(() => {}); // errors reach the stream's `error`
    const sse = toSSEResponse(handle, { headers: { 'x-run-id': handle.runId } });
    response.writeHead(sse.status, Object.fromEntries(sse.headers));
    // Destroying the body when the client goes away cancels the web stream: its subscription ends, the run goes on.
    const body = Readable.fromWeb(sse.body as import('node:stream/web').ReadableStream<Uint8Array>);
    response.on('close', () => body.destroy());
    body.pipe(response);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = createStreamServer();
  server.listen(4700, '127.0.0.1', () => console.log('streaming runs on http://127.0.0.1:4700/runs?topic=tides'));
}
