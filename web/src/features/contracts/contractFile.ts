// What the contracts bucket takes (supabase/migrations/…_storage.sql: PDF or plain text, at
// most 20 MB), checked before uploading so a file it refuses is said in words ("notes.docx is
// not a PDF or a text file…") instead of Storage's "mime type application/vnd… is not supported".

export const CONTRACT_FILE_ACCEPT = '.pdf,.txt,application/pdf,text/plain';
const MAX_BYTES = 20 * 1024 * 1024;
const TYPES = ['application/pdf', 'text/plain'];

/** Whether the file is a PDF or plain text, by its type, or by its name when the browser gives no type. */
function isPdfOrText(file: Pick<File, 'name' | 'type'>): boolean {
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (type) return TYPES.includes(type);
  return /\.(pdf|txt)$/i.test(file.name);
}

/** Why the file cannot be uploaded as a contract, or null. */
export function contractFileProblem(file: Pick<File, 'name' | 'type' | 'size'>): string | null {
  if (!isPdfOrText(file)) return `${file.name} is not a PDF or a text file. Save it as PDF (File → Save as, or Print → Save as PDF), then upload that.`;
  if (file.size > MAX_BYTES) return `${file.name} is larger than 20 MB. Upload the signed contract alone, or a smaller PDF of it.`;
  return null;
}
