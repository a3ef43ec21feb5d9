/**
 * Server-side PDF with pdfmake and the Roboto TTF fonts shipped in node_modules/pdfmake/fonts (they cover Cyrillic;
 * no system fonts). Access policies: no URL is ever fetched, and only the font files are read from disk, so a
 * document definition can carry nothing but data-URL images.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');

let configured = false;
function configure() {
  if (configured) return;
  configured = true;
  const pm = pdfmake as any;
  pm.setFonts({
    Roboto: {
      normal: path.join(fontDir, 'Roboto-Regular.ttf'),
      bold: path.join(fontDir, 'Roboto-Medium.ttf'),
      italics: path.join(fontDir, 'Roboto-Italic.ttf'),
      bolditalics: path.join(fontDir, 'Roboto-MediumItalic.ttf'),
    },
  });
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy((p: string) => path.resolve(p).startsWith(fontDir + path.sep));
}

export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  configure();
  const out = (pdfmake as any).createPdf({ defaultStyle: { font: 'Roboto' }, ...doc });
  return Buffer.from(await out.getBuffer());
}

/** Can pdfkit embed this PNG/JPEG data URL? (Checked when settings are saved, so an invoice never fails on it.) */
export async function isRenderableImage(dataUrl: string): Promise<boolean> {
  try {
    await renderPdf({ content: [{ image: dataUrl, fit: [50, 50] }], compress: false });
    return true;
  } catch {
    return false;
  }
}
