// @ts-self-types="./sse-read.d.ts"
// Reading a text/event-stream: the one parser the web app, the tests, the benchmarks and the
// stand-in's load scenario use (functions-shared/sse.ts writes the stream). Plain JavaScript
// with no imports, like json-depth.js, so that the browser, Deno and Node (which cannot
// import TypeScript: local/reliability/load.mjs) all load this one definition; its types are
// sse-read.d.ts.

/**
 * A push parser: feed it text as it arrives, in chunks split anywhere; it calls `onEvent`
 * for each complete event (`event:` name, default `message`; `data:` lines joined with
 * newlines). Comment lines (`: keep-alive`) and events without data are skipped; lines may
 * end with \n, \r\n or \r, as the format allows.
 * @param {(event: import('./sse-read.d.ts').SseEvent) => void} onEvent
 * @returns {(chunk: string) => void}
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let eventName = 'message';
  /** @type {string[]} */
  let dataLines = [];

  const dispatch = () => {
    if (dataLines.length > 0) onEvent({ event: eventName, data: dataLines.join('\n') });
    eventName = 'message';
    dataLines = [];
  };

  return (chunk) => {
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

/**
 * Reads a fetch() body to its end (or until `signal` aborts), calling `onEvent` per event.
 * @param {ReadableStream<Uint8Array>} body
 * @param {(event: import('./sse-read.d.ts').SseEvent) => void} onEvent
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
export async function readSse(body, onEvent, signal) {
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

/**
 * The events of a body with their JSON data parsed, as an async iterator (tests, benchmarks).
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<{ event: string, data: unknown }>}
 */
export async function* readEvents(body) {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  /** @type {import('./sse-read.d.ts').SseEvent[]} */
  const ready = [];
  const feed = createSseParser((event) => ready.push(event));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      feed(done ? decoder.decode() + '\n\n' : decoder.decode(value, { stream: true }));
      for (let next = ready.shift(); next; next = ready.shift()) {
        yield { event: next.event, data: /** @type {unknown} */ (JSON.parse(next.data)) };
      }
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
}
