// The SSE writer streams: the Response is returned before the producer finishes, and each
// event reaches the reader as soon as it is sent (nothing is buffered until the end).
import { describe, expect, it } from 'vitest';
import { encodeEvent, readEvents, sseResponse } from '../../functions-shared/sse.ts';

describe('sseResponse', () => {
  it('delivers each event while the producer is still running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const response = sseResponse(async (sink) => {
      sink.send('delta', { text: 'first' });
      await gate; // the producer is stuck here until the reader has seen the first event
      sink.send('done', { ok: true });
    });
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);

    const events = readEvents(response.body!);
    const first = await events.next();
    expect(first.value).toEqual({ event: 'delta', data: { text: 'first' } });
    release();
    const rest = [];
    for await (const e of events) rest.push(e);
    expect(rest).toEqual([{ event: 'done', data: { ok: true } }]);
  });

  it('keeps producing when the client goes away', async () => {
    let finished = false;
    const response = sseResponse(async (sink) => {
      sink.send('delta', { text: 'a' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      sink.send('delta', { text: 'b' }); // the client is gone: a no-op, not an exception
      finished = true;
    });
    await response.body!.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(true);
  });

  it('encodes one event per block with JSON data', () => {
    expect(new TextDecoder().decode(encodeEvent('delta', { text: 'line\nbreak' }))).toBe('event: delta\ndata: {"text":"line\\nbreak"}\n\n');
  });
});
