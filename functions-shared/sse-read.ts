// Reading a text/event-stream: the one parser the web app, the tests and the benchmarks
// use (functions-shared/sse.ts writes the stream). No imports, so it runs in the browser,
// Node and Deno alike.
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * A push parser: feed it text as it arrives, in chunks split anywhere; it calls `onEvent`
 * for each complete event (`event:` name, default `message`; `data:` lines joined with
 * newlines). Comment lines (`: keep-alive`) and events without data are skipped; lines may
 * end with \n, \r\n or \r, as the format allows.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  let buffer = '';
  let eventName = 'message';
  let dataLines: string[] = [];

  const dispatch = () => {
    if (dataLines.length > 0) onEvent({ event: eventName, data: dataLines.join('\n') });
    eventName = 'message';
    dataLines = [];
  };

  return (chunk: string) => {
    buffer += chunk;
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + width);
      if (line === '') dispatch();
      else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') eventName = value || 'message';
        else if (field === 'data') dataLines.push(value);
      }
      newline = buffer.search(/\r\n|\r|\n/);
    }
  };
}

/** Reads a fetch() body to its end (or until `signal` aborts), calling `onEvent` per event. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const feed = createSseParser(onEvent);
  try {
    for (;;) {
      if (signal?.aborted) break;
      const { value, done } = await reader.read();
      if (done) break;
      feed(decoder.decode(value, { stream: true }));
    }
    feed(decoder.decode() + '\n\n');
  } finally {
    reader.releaseLock();
  }
}

/** The events of a body with their JSON data parsed, as an async iterator (tests, benchmarks). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: unknown }> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const ready: SseEvent[] = [];
  const feed = createSseParser((event) => ready.push(event));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      feed(done ? decoder.decode() + '\n\n' : decoder.decode(value, { stream: true }));
      while (ready.length) {
        const { event, data } = ready.shift()!;
        yield { event, data: JSON.parse(data) as unknown };
      }
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
}
