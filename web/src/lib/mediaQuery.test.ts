// @vitest-environment happy-dom
// One rule for asking the browser about a media query: lib/mediaQuery.ts. Before, the theme
// (lib/theme.ts) and the step strip's reduced motion asked window.matchMedia themselves beside
// hooks/useMediaQuery.ts, each with its own guard and listener; a fix to one (Safari's
// addListener) missed the others.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { matchesMedia, watchMedia } from './mediaQuery.ts';

const webSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('media queries', () => {
  it('are asked of the browser in lib/mediaQuery.ts only', () => {
    const askers = sourceFiles(webSrc)
      .filter((file) => /\bmatchMedia\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(webSrc, file));
    expect(askers).toEqual([path.join('lib', 'mediaQuery.ts')]);
  });

  it('tell a watcher when they start or stop matching, through addListener where the browser has no addEventListener', () => {
    const listeners = new Set<() => void>();
    const list = { matches: false, addListener: (listener: () => void) => listeners.add(listener), removeListener: (listener: () => void) => listeners.delete(listener) };
    const spy = vi.spyOn(window, 'matchMedia').mockReturnValue(list as unknown as MediaQueryList);
    try {
      const seen: boolean[] = [];
      const stop = watchMedia('(max-width: 760px)', (matches) => seen.push(matches));
      list.matches = true;
      listeners.forEach((listener) => listener());
      expect(seen).toEqual([true]);
      expect(matchesMedia('(max-width: 760px)')).toBe(true);
      stop();
      expect(listeners.size).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
