// @vitest-environment happy-dom
// A control disabled while its call runs has the focus back once it is enabled again, unless
// the focus went somewhere else meanwhile or the control is gone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepFocusThroughDisabling } from './keepFocus.ts';

let stop: () => void;
beforeEach(() => { stop = keepFocusThroughDisabling(document); document.body.innerHTML = '<button id="save">Save</button><input id="other">'; });
afterEach(() => { stop(); document.body.innerHTML = ''; });

const save = () => document.getElementById('save') as HTMLButtonElement;
/** What the browser does once a focused control is disabled: a focusout with no next target, the focus on the page. */
function disableWhileFocused(control: HTMLButtonElement) {
  control.blur(); // the focus on the page (happy-dom does not move it off a control as it is disabled)
  control.disabled = true;
  control.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }));
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keeping the focus through a disabled control', () => {
  it('gives the focus back to the control once it is enabled again', async () => {
    save().focus();
    disableWhileFocused(save());
    expect(document.activeElement).toBe(document.body);
    save().disabled = false;
    await settle();
    expect(document.activeElement).toBe(save());
  });

  it('leaves the focus where it was put meanwhile', async () => {
    save().focus();
    disableWhileFocused(save());
    const other = document.getElementById('other') as HTMLInputElement;
    other.focus();
    save().disabled = false;
    await settle();
    expect(document.activeElement).toBe(other);
  });

  it('does nothing once the control is gone', async () => {
    save().focus();
    const control = save();
    disableWhileFocused(control);
    control.remove();
    control.disabled = false;
    await settle();
    expect(document.activeElement).toBe(document.body);
  });
});
