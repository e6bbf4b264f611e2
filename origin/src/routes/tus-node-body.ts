import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ERRORS, StreamLimiter, type Server as TusServer } from '@tus/server';

/**
 * The fast lane for tus bodies on Node (issue 16, bench/upload).
 *
 * `tus.handleWeb(c.req.raw)` reads a PATCH body as node-server's web stream (IncomingMessage ->
 * `Readable.toWeb` -> the Request's own stream), which @tus/server turns back into a Node stream
 * (`Readable.fromWeb`) before the file store writes it: two bridges and a promise per chunk, which
 * held uploads to about half of a raw streamed PUT. Here the request tus sees carries a stand-in
 * body; the handlers that write (PATCH, and POST for creation-with-upload) recognise it and pipe
 * the IncomingMessage itself into the store. Everything else tus does (offset and length checks,
 * locks, hooks, the size limit) is unchanged. Without an IncomingMessage (`app.request()` in
 * tests) nothing changes at all.
 */
const nodeBodies = new WeakMap<ReadableStream, IncomingMessage>();

/**
 * `request` with its body replaced by a stand-in that stands for `incoming`. The stand-in still
 * works as a web stream (it reads the real body lazily) should anything other than the patched
 * handlers read it.
 */
export function withNodeBody(request: Request, incoming: IncomingMessage): Request {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= request.body?.getReader();
        const next = reader ? await reader.read() : { done: true as const, value: undefined };
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: (reason) => reader?.cancel(reason),
    },
    // No read ahead: a pull on creation would start node-server's own bridge on the request.
    { highWaterMark: 0 },
  );
  nodeBodies.set(body, incoming);
  return new Proxy(request, {
    get(target, property) {
      if (property === 'body') return body;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type WriteToStore = (
  webStream: ReadableStream | null,
  upload: { id: string; offset: number },
  maxFileSize: number,
  context: { signal: AbortSignal },
) => Promise<number>;

interface WritingHandler {
  store: { write(stream: Readable, id: string, offset: number): Promise<number> };
}

/**
 * Make the handlers that write bodies take the Node lane for stand-in bodies. Mirrors
 * `BaseHandler.writeToStore` of @tus/server 2.x (abort ends the write gracefully, so the bytes
 * received so far count; a source error is an aborted request), minus the web stream bridge.
 */
export function acceptNodeBodies(tus: TusServer): void {
  for (const handler of [tus.handlers.PATCH, tus.handlers.POST]) {
    const writing = handler as unknown as WritingHandler & { writeToStore: WriteToStore };
    const original = writing.writeToStore.bind(handler);
    writing.writeToStore = async (webStream, upload, maxFileSize, context) => {
      const incoming = webStream ? nodeBodies.get(webStream) : undefined;
      if (!incoming) return original(webStream, upload, maxFileSize, context);
      return writeIncoming(writing, incoming, upload, maxFileSize, context.signal);
    };
  }
}

async function writeIncoming(
  handler: WritingHandler,
  incoming: IncomingMessage,
  upload: { id: string; offset: number },
  maxFileSize: number,
  signal: AbortSignal,
): Promise<number> {
  if (signal.aborted) throw ERRORS.ABORTED;
  // The proxy lets a write end without destroying the request (which would hang up on the client).
  const proxy = new PassThrough({ highWaterMark: 1024 * 1024 });
  let sourceError: unknown;
  const onSourceError = (error: unknown) => {
    sourceError = error;
    incoming.unpipe(proxy);
    if (!signal.aborted) proxy.destroy(error as Error);
  };
  const onAbort = () => {
    incoming.unpipe(proxy);
    if (!proxy.destroyed) proxy.end();
  };
  incoming.on('error', onSourceError);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await pipeline(incoming.pipe(proxy), new StreamLimiter(maxFileSize), (stream) =>
      handler.store.write(stream as unknown as Readable, upload.id, upload.offset),
    );
  } catch (error) {
    incoming.unpipe(proxy);
    const aborted =
      (sourceError !== undefined && error === sourceError) || (error as Error)?.name === 'AbortError';
    throw aborted ? ERRORS.ABORTED : error;
  } finally {
    incoming.off('error', onSourceError);
    signal.removeEventListener('abort', onAbort);
  }
}
