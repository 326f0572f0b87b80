// A customer's contract documents (docs/contracts.md): upload a PDF or text file to the
// private `contracts` bucket, open it through a short-lived signed link, have its terms read
// with citations (extract-contract), and review the proposals field by field. Confirmed
// values update the contract, so the renewal's notice deadline, stage and lane follow.
import { useMemo, useRef, useState } from 'react';
import type { ContractExtraction } from '../../../../functions-shared/api/index.ts';
import { Badge } from '../../components/Badges.tsx';
import { InlineError, LoadingState } from '../../components/States.tsx';
import { ActionNotice, useActionNotice } from '../../components/ActionNotice.tsx';
import { useAsync } from '../../hooks/useAsync.ts';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { useWorkspace } from '../../lib/context.ts';
import { formatDate } from '../../lib/format.ts';
import { contractsApi, type ContractDocument } from './api.ts';
import { ContractReview } from './ContractReview.tsx';
import { CONTRACT_FILE_ACCEPT, contractFileProblem } from './contractFile.ts';
import './contracts.css';


function sizeOf(bytes: number | null): string {
  if (bytes === null) return '';
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ContractDocuments({ customerId, orgId, canEdit, onContractChanged }: {
  customerId: string; orgId: string; canEdit: boolean; onContractChanged?: () => void;
}) {
  const { api } = useWorkspace();
  const calls = useMemo(() => contractsApi(api), [api]);
  const documents = useAsync(() => calls.listDocuments(orgId, customerId), [calls, orgId, customerId]);
  const extractions = useAsync(() => calls.listExtractions(customerId), [calls, customerId]);
  const [review, setReview] = useState<ContractExtraction | null>(null);
  const submit = useSubmit();
  const { running: busy, error } = submit;
  const notice = useActionNotice();
  const fileInput = useRef<HTMLInputElement>(null);

  /** One call at a time; `label` says which button is working. */
  function run(label: string, work: () => Promise<void>) {
    notice.clear();
    return submit.run(work, null, label);
  }

  const upload = (file: File) => run('upload', async () => {
    const problem = contractFileProblem(file);
    if (problem) {
      // the same file chosen again after this must still trigger a change
      if (fileInput.current) fileInput.current.value = '';
      throw new Error(problem);
    }
    const path = await calls.upload(orgId, customerId, file);
    await documents.reload();
    notice.show(`${path.split('/').pop()} uploaded. Read its terms to review them.`);
    if (fileInput.current) fileInput.current.value = '';
  });

  const extract = (document: ContractDocument) => run(`extract:${document.path}`, async () => {
    const result = await calls.extract(customerId, document.path);
    const full = await calls.getExtraction(result.extraction_id);
    await extractions.reload();
    setReview(full);
  });

  const open = (extraction: ContractExtraction) => run(`open:${extraction.id}`, async () => {
    setReview(await calls.getExtraction(extraction.id));
  });

  const view = (document: ContractDocument) => run(`view:${document.path}`, async () => {
    window.open(await calls.signedUrl(document.path), '_blank', 'noopener');
  });

  return (
    <div className="contract-documents" id="contract-documents" data-testid="contract-documents">
      <div className="panel-head">
        <h3>Documents</h3>
        {canEdit ? (
          <label className="btn btn-small">
            {busy === 'upload' ? 'Uploading…' : 'Upload a contract'}
            <input ref={fileInput} type="file" accept={CONTRACT_FILE_ACCEPT} className="visually-hidden" data-testid="contract-upload"
              disabled={busy !== null} onChange={(event) => { const file = event.target.files?.[0]; if (file) void upload(file); }} />
          </label>
        ) : null}
      </div>
      <ActionNotice notice={notice} />
      <InlineError error={error ?? documents.error ?? extractions.error} />
      {documents.loading && !documents.data ? <LoadingState label="Loading documents…" /> : null}
      {documents.data && documents.data.length === 0 ? <p className="muted small">No contract document yet{canEdit ? ': upload a PDF or text file.' : '.'}</p> : null}
      {documents.data && documents.data.length > 0 ? (
        <ul className="item-list" data-testid="contract-document-list">
          {documents.data.map((document) => {
            const runs = (extractions.data ?? []).filter((x) => x.object_path === document.path);
            const latest = runs[0];
            return (
              <li key={document.path} data-testid="contract-document">
                <div className="item-main">
                  <button type="button" className="link-button item-title" onClick={() => void view(document)}>{document.name}</button>
                  <div className="sub">
                    {document.size !== null ? <span>{sizeOf(document.size)}</span> : null}
                    {document.uploaded_at ? <span>{document.size !== null ? '· ' : ''}uploaded {formatDate(document.uploaded_at)}</span> : null}
                    {latest ? <Badge tone={latest.status === 'reviewed' ? 'success' : 'info'}>{latest.status === 'reviewed' ? 'Reviewed' : 'To review'}</Badge> : null}
                  </div>
                </div>
                <div className="btn-row">
                  {latest ? (
                    <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void open(latest)}>Review terms</button>
                  ) : null}
                  {canEdit ? (
                    <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void extract(document)}>
                      {busy === `extract:${document.path}` ? 'Reading…' : latest ? 'Read again' : 'Read terms'}
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {review ? (
        <ContractReview extraction={review} calls={calls} canEdit={canEdit} onClose={() => setReview(null)}
          onChanged={(updated) => { setReview(updated); void extractions.reload(); onContractChanged?.(); }} />
      ) : null}
    </div>
  );
}
