import type { LanguageModelMiddleware } from 'ai';

/**
 * Language model middleware that cancels the provider's stream as soon as the
 * call's `abortSignal` fires.
 *
 * Why: `streamText` stops handing out parts on abort, but (ai 6) keeps reading
 * the model's stream in the background; fetch-based providers stop because
 * fetch honours the signal, a provider that ignores it would not. With this
 * middleware no further chunk is read after an abort, whatever the provider.
 * `fromModel` applies it; wrap your own model with it for `fromAgent` and
 * `fromFunction`: `wrapLanguageModel({ model, middleware: cancelOnAbort() })`.
 */
export function cancelOnAbort(): LanguageModelMiddleware {
  return {
    specificationVersion: 'v3',
    async wrapStream({ doStream, params }) {
      const result = await doStream();
      const signal = params.abortSignal;
      return signal ? { ...result, stream: cancellable(result.stream, signal) } : result;
    },
  };
}

/** A view of `source` that errors with the signal's reason and cancels `source` on abort. */
function cancellable<T>(source: ReadableStream<T>, signal: AbortSignal): ReadableStream<T> {
  const reader = source.getReader();
  let onAbort: () => void = () => {};
  const stop = () => signal.removeEventListener('abort', onAbort);
  return new ReadableStream<T>({
    start(controller) {
      onAbort = () => {
        stop();
        controller.error(signal.reason);
        reader.cancel(signal.reason).catch(() => {}); // the source may already be closed
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) {
          stop();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        stop();
        if (!signal.aborted) controller.error(error);
      }
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
