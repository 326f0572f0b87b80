import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import { Boot } from './app/Boot.tsx';
import { applyCachedUi } from './lib/theme.ts';
import './styles.css';

applyCachedUi();

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Boot />
    </StrictMode>,
  );
}
