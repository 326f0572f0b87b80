// @vitest-environment happy-dom
// Guidance a finger and a keyboard reach: a toggletip opens its words on a press (a tap, a
// click, Enter), into a live region so they are announced, and closes them on a second press,
// Escape or a press elsewhere. Before, the same words were a title, shown on a mouse's hover.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { shiftIntoWindow, Toggletip } from './Toggletip.tsx';
import { ArtifactStatusBadge } from '../features/artifacts/ArtifactStatusBadge.tsx';

afterEach(cleanup);

describe('a toggletip', () => {
  it('opens its words on a press, announced, and closes them on a second press, Escape or a press elsewhere', () => {
    render(<><Toggletip label="About this number">Overdue or within 13 days.</Toggletip><button type="button">Elsewhere</button></>);
    const button = screen.getByRole('button', { name: 'About this number' });
    const region = screen.getByRole('status');
    expect(button.getAttribute('aria-controls')).toBe(region.id);
    expect(region.textContent).toBe('');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(region.textContent).toBe('Overdue or within 13 days.');
    fireEvent.click(button);
    expect(region.textContent).toBe('');
    fireEvent.click(button);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(region.textContent).toBe('');
    fireEvent.click(button);
    fireEvent.pointerDown(screen.getByRole('button', { name: 'Elsewhere' }));
    expect(region.textContent).toBe('');
  });

  it('moves its words in from a side of the window, never past it', () => {
    expect(shiftIntoWindow({ left: 100, right: 300 }, 390)).toBe(0);
    expect(shiftIntoWindow({ left: 250, right: 550 }, 390)).toBe(-168);
    expect(shiftIntoWindow({ left: 2, right: 200 }, 390)).toBe(6);
    // Wider than the window: its start stays in view.
    expect(shiftIntoWindow({ left: 40, right: 440 }, 390)).toBe(-32);
  });
});

describe('a drafted email\'s state', () => {
  it('says what "Send failed" means and what to do, on a press rather than a hover', () => {
    render(<ArtifactStatusBadge sendState="failed" approvedAt="2031-03-01T10:00:00Z" />);
    expect(document.querySelector('[title]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'About Send failed' }));
    expect(screen.getByRole('status').textContent).toBe('The last send failed (see Sent mail); it can be edited and sent again.');
  });
});
