// @vitest-environment happy-dom
// A dialog opens with the focus on what is to be done in it: the control marked for it, else
// its body's first control (a form's first field), else its footer's first (Cancel), and Close
// only when there is nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Dialog } from './Dialog.tsx';

afterEach(cleanup);

describe('a dialog opening', () => {
  it('puts the focus in its first field rather than on Close', () => {
    render(<Dialog title="Casey Junior" onClose={() => {}} footer={<button type="button">Save</button>}>
      <label>Role <select><option>CSM</option></select></label>
    </Dialog>);
    expect(document.activeElement).toBe(screen.getByLabelText('Role'));
  });

  it('puts it on the control marked for it', () => {
    render(<Dialog title="Change the role?" onClose={() => {}}>
      <button type="button">Change</button><button type="button" data-autofocus>Keep</button>
    </Dialog>);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep' }));
  });

  it('puts it on the footer\'s first button (Cancel) when the body has nothing to do, not on Close', () => {
    render(<Dialog title="Discard the draft?" onClose={() => {}} footer={<><button type="button">Cancel</button><button type="button">Discard</button></>}>
      <p>The draft will be gone.</p>
    </Dialog>);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('puts it on Close only when there is nothing else', () => {
    render(<Dialog title="About" onClose={() => {}}><p>Renubu.</p></Dialog>);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  });
});

// A tap beside a dialog — easily made on a phone or a tablet, reaching for the keyboard or
// scrolling — closed it and threw away what had been typed in it (a reason, a task's
// details). Once something is typed, only Cancel, Close or Escape close it.
describe('a tap outside the dialog', () => {
  function backdrop(): HTMLElement {
    return document.querySelector<HTMLElement>('.dialog-backdrop')!;
  }

  it('closes it while nothing has been typed in it', () => {
    let closed = 0;
    render(<Dialog title="Snooze" onClose={() => { closed += 1; }}><label>Reason <textarea /></label></Dialog>);
    fireEvent.mouseDown(backdrop());
    expect(closed).toBe(1);
  });

  it('keeps it, and what was typed, once something has been typed in it', () => {
    let closed = 0;
    render(<Dialog title="Escalate" onClose={() => { closed += 1; }}><label>Reason <textarea /></label></Dialog>);
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'The signer left the company' } });
    fireEvent.mouseDown(backdrop());
    expect(closed).toBe(0);
    expect((screen.getByLabelText('Reason') as HTMLTextAreaElement).value).toBe('The signer left the company');
  });

  it('keeps it once a choice has been changed in it', () => {
    let closed = 0;
    render(<Dialog title="Escalate" onClose={() => { closed += 1; }}><label>Level <select><option>Manager</option><option>CEO</option></select></label></Dialog>);
    fireEvent.change(screen.getByLabelText('Level'), { target: { value: 'CEO' } });
    fireEvent.mouseDown(backdrop());
    expect(closed).toBe(0);
  });

  it('still closes it with Escape, a deliberate key', () => {
    let closed = 0;
    render(<Dialog title="Escalate" onClose={() => { closed += 1; }}><label>Reason <textarea /></label></Dialog>);
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'The signer left' } });
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(closed).toBe(1);
  });
});
