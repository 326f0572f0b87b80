import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse.ts';

describe('the SSE reader', () => {
  it('reassembles events split across chunks at any byte', () => {
    const events: { event: string; data: string }[] = [];
    const feed = createSseParser((event) => events.push(event));
    const stream = 'event: message\ndata: {"a":1}\n\nevent: delta\ndata: {"text":"Hel"}\n\r\nevent: delta\ndata: {"text":"lo"}\n\n: keep-alive\n\nevent: done\ndata: {}\n\n';
    for (const char of stream) feed(char);
    expect(events).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'delta', data: '{"text":"Hel"}' },
      { event: 'delta', data: '{"text":"lo"}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('joins multi-line data and defaults the event name to message', () => {
    const events: { event: string; data: string }[] = [];
    const feed = createSseParser((event) => events.push(event));
    feed('data: line one\ndata: line two\n\n');
    expect(events).toEqual([{ event: 'message', data: 'line one\nline two' }]);
  });
});
