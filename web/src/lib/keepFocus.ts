// A control disabled while its call runs (Save, Log call, a category box, Complete) loses the
// focus: the browser moves it to the page the moment the control is disabled (a focusout with
// no next target). Once the control is enabled again, the focus goes back to it — unless the
// person or the screen has put the focus somewhere since (a notice that says what happened, a
// dialog's field, a click elsewhere), or the control is gone. Installed once for the whole app.

/** Starts watching `doc`; returns a function that stops. */
export function keepFocusThroughDisabling(doc: Document = document): () => void {
  let waiting: { control: HTMLElement; observer: MutationObserver } | null = null;

  const stop = () => {
    waiting?.observer.disconnect();
    waiting = null;
  };

  const onFocusOut = (event: FocusEvent) => {
    const control = event.target;
    if (event.relatedTarget || !(control instanceof HTMLElement) || !control.matches(':disabled')) return;
    stop();
    const observer = new MutationObserver(() => {
      if (!waiting || waiting.control.matches(':disabled')) return;
      stop();
      const focused = doc.activeElement;
      if (control.isConnected && (!focused || focused === doc.body)) control.focus();
    });
    observer.observe(control, { attributes: true, attributeFilter: ['disabled'] });
    waiting = { control, observer };
  };

  // The focus put anywhere, or a click elsewhere, is where the person is now.
  const onMove = (event: Event) => { if (waiting && event.target !== waiting.control) stop(); };

  doc.addEventListener('focusout', onFocusOut, true);
  doc.addEventListener('focusin', onMove, true);
  doc.addEventListener('pointerdown', onMove, true);
  return () => {
    stop();
    doc.removeEventListener('focusout', onFocusOut, true);
    doc.removeEventListener('focusin', onMove, true);
    doc.removeEventListener('pointerdown', onMove, true);
  };
}
