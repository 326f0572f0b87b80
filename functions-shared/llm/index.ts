// Picks the provider from the environment: LLM_PROVIDER=ollama|mock; without it, Ollama
// when OLLAMA_HOST is set, otherwise the built-in mock so everything works offline.
import { MockProvider } from './mock.ts';
import { DEFAULT_OLLAMA_MODEL, DEFAULT_TIMEOUT_MS, OllamaProvider } from './ollama.ts';
import type { LlmProvider } from './types.ts';

export * from './types.ts';
export { MockProvider, MOCK_MODEL } from './mock.ts';
export { OllamaProvider, DEFAULT_OLLAMA_MODEL } from './ollama.ts';

export function providerFromEnv(env: Record<string, string | undefined>): LlmProvider {
  const choice = (env.LLM_PROVIDER || (env.OLLAMA_HOST ? 'ollama' : 'mock')).toLowerCase();
  if (choice === 'mock') {
    const delay = Number(env.LLM_MOCK_DELAY_MS);
    return new MockProvider({ delayMs: Number.isFinite(delay) && env.LLM_MOCK_DELAY_MS !== undefined ? delay : undefined });
  }
  if (choice === 'ollama') {
    const timeout = Number(env.LLM_TIMEOUT_MS);
    return new OllamaProvider({
      host: env.OLLAMA_HOST || 'http://127.0.0.1:11434',
      model: env.OLLAMA_MODEL || DEFAULT_OLLAMA_MODEL,
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
    });
  }
  throw new Error(`LLM_PROVIDER must be "ollama" or "mock", not "${choice}"`);
}
