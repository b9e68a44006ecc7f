import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
const reg = readFileSync('assets/fonts/LiberationSans-Regular.ttf');
const bold = readFileSync('assets/fonts/LiberationSans-Bold.ttf');
const parsedR = (fontkit as any).create(reg); const parsedB = (fontkit as any).create(bold);
async function make(mode: string, lines: number) {
  const doc = new PDFDocument({ bufferPages: true, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = []; doc.on('data', (c) => chunks.push(c));
  const done = new Promise((r) => doc.on('end', r));
  if (mode === 'lib') { doc.registerFont('R', reg); doc.registerFont('B', bold); }
  if (mode === 'cached') { doc.registerFont('R', parsedR as any); doc.registerFont('B', parsedB as any); }
  const R = mode === 'helv' ? 'Helvetica' : 'R', B = mode === 'helv' ? 'Helvetica-Bold' : 'B';
  for (let i = 0; i < lines; i++) { doc.font(B).text(`Line ${i} service`); doc.font(R).text(`$1,234.${i}`); }
  doc.end(); await done; return Buffer.concat(chunks);
}
for (const lines of [1, 10]) for (const mode of ['helv', 'lib', 'cached', 'helv', 'lib', 'cached']) {
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) { const t = performance.now(); await make(mode, lines); ms.push(performance.now() - t); }
  ms.sort((a, b) => a - b); console.log(lines, mode, ms[15]!.toFixed(2));
}
