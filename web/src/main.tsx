import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import { Boot } from './app/Boot.tsx';
import { applyCachedUi } from './lib/theme.ts';
import { keepFocusThroughDisabling } from './lib/keepFocus.ts';
import './styles.css';

applyCachedUi();
// A button disabled while its call runs has the focus back once enabled (lib/keepFocus.ts).
keepFocusThroughDisabling();

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Boot />
    </StrictMode>,
  );
}
