// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ChatComposer } from './ChatComposer.tsx';
import { forgetUnsentText } from '../../lib/unsentText.ts';

afterEach(cleanup);

function setup(shiftEnterToSubmit: boolean, disabled = false) {
  const sent: string[] = [];
  render(<ChatComposer onSend={(text) => sent.push(text)} disabled={disabled} shiftEnterToSubmit={shiftEnterToSubmit} />);
  const box = screen.getByLabelText('Message the assistant') as HTMLTextAreaElement;
  fireEvent.change(box, { target: { value: 'Draft a renewal email' } });
  return { sent, box };
}

describe('the chat composer', () => {
  it('sends on Enter and keeps Shift+Enter for a new line by default', () => {
    const { sent, box } = setup(false);
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(sent).toEqual([]);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(sent).toEqual(['Draft a renewal email']);
    expect(box.value).toBe('');
  });

  it('sends on Shift+Enter only when that preference is on', () => {
    const { sent, box } = setup(true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(sent).toEqual([]);
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(sent).toEqual(['Draft a renewal email']);
    expect(screen.getByText(/for a new line/).textContent).toMatch(/Enter for a new line/);
  });

  it('does not send while the assistant is still answering', () => {
    const { sent, box } = setup(false, true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(sent).toEqual([]);
    expect((screen.getByRole('button', { name: 'Answering…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('marks its Enter-to-send hint as for a keyboard only, so a phone or touch screen does not show it (styles.css .keyboard-only)', () => {
    setup(false);
    const box = screen.getByLabelText('Message the assistant');
    const hint = document.getElementById(box.getAttribute('aria-describedby')!)!;
    expect(hint.textContent).toBe('Enter to send, Shift+Enter for a new line');
    expect(hint.classList.contains('keyboard-only')).toBe(true);
  });

  it('takes the focus at each new focus request, not before', () => {
    const { rerender } = render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} focusRequest={0} />);
    const box = screen.getByLabelText('Message the assistant');
    expect(document.activeElement).not.toBe(box);
    rerender(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} focusRequest={1} />);
    expect(document.activeElement).toBe(box);
    box.blur();
    rerender(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} focusRequest={2} />);
    expect(document.activeElement).toBe(box);
  });

  it('keeps a message not yet sent when the person leaves the workflow and comes back (its customer opened mid-question)', () => {
    window.sessionStorage.clear();
    const first = render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-1" />);
    fireEvent.change(screen.getByLabelText('Message the assistant'), { target: { value: 'Half a question about the price cap' } });
    first.unmount();
    const sent: string[] = [];
    render(<ChatComposer onSend={(text) => sent.push(text)} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-1" />);
    const box = screen.getByLabelText('Message the assistant') as HTMLTextAreaElement;
    expect(box.value).toBe('Half a question about the price cap');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(sent).toEqual(['Half a question about the price cap']);
    cleanup();
    // Sent, it is no longer kept; another thread's box starts empty.
    render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-1" />);
    expect((screen.getByLabelText('Message the assistant') as HTMLTextAreaElement).value).toBe('');
    cleanup();
    render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-2" />);
    expect((screen.getByLabelText('Message the assistant') as HTMLTextAreaElement).value).toBe('');
  });

  it('forgets every message not yet sent at sign-out, so the next person at this browser finds none', () => {
    window.sessionStorage.clear();
    const first = render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-1" />);
    fireEvent.change(screen.getByLabelText('Message the assistant'), { target: { value: 'Their CFO is leaving' } });
    first.unmount();
    forgetUnsentText();
    render(<ChatComposer onSend={() => {}} disabled={false} shiftEnterToSubmit={false} draftKey="me:thread-1" />);
    expect((screen.getByLabelText('Message the assistant') as HTMLTextAreaElement).value).toBe('');
  });
});
