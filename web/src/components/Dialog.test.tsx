// @vitest-environment happy-dom
// A dialog opens with the focus on what is to be done in it: the control marked for it, else
// its body's first control (a form's first field), else its footer's first (Cancel), and Close
// only when there is nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
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
