// @vitest-environment happy-dom
// A file the contracts bucket does not take (a Word document chosen under "All files") is
// said in words beside the upload, naming the file and what to do, and nothing is uploaded;
// before, Storage's "mime type application/vnd.openxmlformats-… is not supported" was shown.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Api } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { ContractDocuments } from './ContractDocuments.tsx';
import { contractFileProblem } from './contractFile.ts';

afterEach(cleanup);

function renderWithStorage() {
  const uploads: string[] = [];
  const bucket = {
    list: async () => ({ data: [], error: null }),
    upload: async (path: string) => { uploads.push(path); return { data: { path }, error: null }; },
  };
  const api = {
    client: { storage: { from: () => bucket } },
    rpc: async () => [],
  } as unknown as Api;
  const workspace = { api, profile: { id: 'me', role: 'csm' }, config: {}, signOut: async () => {} } as unknown as Workspace;
  render(<WorkspaceContext.Provider value={workspace}>
    <ContractDocuments customerId="c1" orgId="o1" canEdit />
  </WorkspaceContext.Provider>);
  return uploads;
}

describe('uploading a contract', () => {
  it('says a Word document is not taken, in words, and uploads nothing', async () => {
    const uploads = renderWithStorage();
    const word = new File(['hello'], 'notes.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    fireEvent.change(screen.getByTestId('contract-upload'), { target: { files: [word] } });
    expect((await screen.findByRole('alert')).textContent)
      .toBe('notes.docx is not a PDF or a text file. Save it as PDF (File → Save as, or Print → Save as PDF), then upload that.');
    expect(uploads).toEqual([]);
  });
});

describe('the file a contract may be', () => {
  it('is a PDF or plain text, by its type, or by its name when the browser gives none', () => {
    expect(contractFileProblem({ name: 'msa.pdf', type: 'application/pdf', size: 10 })).toBeNull();
    expect(contractFileProblem({ name: 'msa.txt', type: 'text/plain;charset=UTF-8', size: 10 })).toBeNull();
    expect(contractFileProblem({ name: 'msa.PDF', type: '', size: 10 })).toBeNull();
    expect(contractFileProblem({ name: 'msa.pages', type: '', size: 10 })).toMatch(/^msa\.pages is not a PDF or a text file\./);
    expect(contractFileProblem({ name: 'scan.png', type: 'image/png', size: 10 })).toMatch(/^scan\.png is not a PDF/);
  });

  it('is at most 20 MB', () => {
    expect(contractFileProblem({ name: 'big.pdf', type: 'application/pdf', size: 20 * 1024 * 1024 })).toBeNull();
    expect(contractFileProblem({ name: 'big.pdf', type: 'application/pdf', size: 20 * 1024 * 1024 + 1 })).toMatch(/^big\.pdf is larger than 20 MB\./);
  });
});
