// Server-sent events without buffering: each event is encoded and enqueued on a
// ReadableStream the moment it is produced, so the client sees tokens as the model emits them.
import { corsHeaders } from './http.ts';

const encoder = new TextEncoder();

/** One event in the text/event-stream format: `event: <name>\ndata: <json>\n\n`. */
export function encodeEvent(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export interface SseSink {
  send(event: string, data: unknown): void;
  /** True once the client went away; sending is then a no-op and work carries on. */
  readonly closed: boolean;
}

/**
 * A streaming Response whose body is produced by `produce`. The response is returned
 * immediately; `produce` runs concurrently and the stream closes when it settles.
 * A client that disconnects does not stop `produce` (the assistant message must still be
 * finished in the database), it only stops the sending.
 */
export function sseResponse(produce: (sink: SseSink) => Promise<void>): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const sink: SseSink = {
    send(event, data) {
      if (closed) return;
      try {
        controller.enqueue(encodeEvent(event, data));
      } catch {
        closed = true;
      }
    },
    get closed() {
      return closed;
    },
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // A comment line first: proxies flush headers and the client knows the stream is live.
      c.enqueue(encoder.encode(': stream open\n\n'));
      produce(sink)
        .catch((error) => console.error(error))
        .finally(() => {
          if (closed) return;
          closed = true;
          try {
            c.close();
          } catch {
            /* already closed by the client */
          }
        });
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      ...corsHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    },
  });
}

// Reading a stream is functions-shared/sse-read.js (shared with the web app and local/).
export { readEvents } from './sse-read.js';
