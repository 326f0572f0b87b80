// The chat stream's reader is the one the functions' tests use (functions-shared/sse-read.js).
export { createSseParser, readSse, type SseEvent } from '../../../functions-shared/sse-read.js';
