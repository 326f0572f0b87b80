// The types of sse-read.js (plain JavaScript so Node loads it too; see there).
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * A push parser: feed it text as it arrives, in chunks split anywhere; it calls `onEvent`
 * for each complete event (`event:` name, default `message`; `data:` lines joined with
 * newlines). Comment lines and events without data are skipped.
 */
export declare function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void;

/** Reads a fetch() body to its end (or until `signal` aborts), calling `onEvent` per event. */
export declare function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<void>;

/** The events of a body with their JSON data parsed, as an async iterator (tests, benchmarks). */
export declare function readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: unknown }>;
