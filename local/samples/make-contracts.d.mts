// Types of make-contracts.mjs for the TypeScript tests that use the samples.
export interface Term { start: string; end: string }
export interface Sample {
  key: string;
  title: string;
  customer: string;
  term: Term;
  pages: (t: Term) => string[][];
  expected: Record<string, string | number | boolean | null>;
}
export const SAMPLES: Sample[];
export function longDate(iso: string): string;
export function addDays(iso: string, days: number): string;
export function textFromPages(pages: string[][]): string;
export function pdfFromPages(pages: string[][]): Buffer;
export function samplePages(sample: Sample, term?: Term): string[][];
export function writeSamples(dir: string): void;
