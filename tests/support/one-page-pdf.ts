// A minimal one-page PDF written by hand (catalogue, page tree, page, its content stream, a
// font, and a cross-reference table), for tests that need a PDF of an exact shape: a page
// that decompresses to gigabytes, a filter pdf.js reads but cannot be measured, extra
// objects such as forms drawn inside forms.

/** A one-page PDF whose page content is `content` under `filter` (none when omitted), plus any `extra` objects and `trailer` entries. */
export function onePagePdf(content: Buffer, { filter, contentsDict = '', extra = [], trailer = '' }: {
  filter?: string; contentsDict?: string; extra?: string[]; trailer?: string;
} = {}): Uint8Array<ArrayBuffer> {
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length}${filter ? ` /Filter ${filter}` : ''}${contentsDict} >>\nstream\n`), content, Buffer.from('\nendstream')]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    ...extra.map((text) => Buffer.from(text, 'latin1')),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n')];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  objects.forEach((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    offsets.push(at);
    parts.push(obj);
    at += obj.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailer} >>\nstartxref\n${at}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}
