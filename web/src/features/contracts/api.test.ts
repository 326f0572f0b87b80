// A contract document's link is asked for the app's documented lifetime, five minutes
// (CONTRACT_LINK_SECONDS, docs/contracts.md): Storage signs any expiry of a second or more,
// and whoever holds a link reads the document without signing in until it expires.
import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api.ts';
import { CONTRACT_LINK_SECONDS, contractsApi } from './api.ts';

describe('a contract document\'s link', () => {
  it('is asked for five minutes, no more', async () => {
    const createSignedUrl = vi.fn(async () => ({ data: { signedUrl: 'https://storage.test/signed' }, error: null }));
    const from = vi.fn(() => ({ createSignedUrl }));
    const api = { client: { storage: { from } }, rpc: vi.fn() } as unknown as Api;

    expect(await contractsApi(api).signedUrl('org/customer/msa.pdf')).toBe('https://storage.test/signed');
    expect(from).toHaveBeenCalledWith('contracts');
    expect(createSignedUrl).toHaveBeenCalledWith('org/customer/msa.pdf', CONTRACT_LINK_SECONDS);
    expect(CONTRACT_LINK_SECONDS).toBe(300);
  });
});
