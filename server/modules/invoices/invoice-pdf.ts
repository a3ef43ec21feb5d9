/**
 * «Счёт на оплату» in the standard Russian layout: the bank block (Банк получателя, БИК, Сч. №, ИНН, КПП,
 * Получатель), the title with number and date, Поставщик and Покупатель with requisites, the item table, Итого,
 * VAT («В том числе НДС (22%)» or «Без налога (НДС)»), «Всего к оплате», the count and sum line, the amount in
 * words, the payment deadline, signatures of the director and the accountant with optional facsimile, optional logo.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Invoice } from '../../../common/api/invoices.js';
import { amountInWords } from '../../../common/amount-in-words.js';
import { formatDateLongRu, formatDateRu } from '../../../common/dates.js';
import { formatMoneyPlain } from '../../../common/money.js';
import { renderPdf } from '../../platform/pdf.js';

export interface InvoiceImages {
  logo?: string | null;
  facsimile?: string | null;
}

/** "3", "1,5", "0,125": up to three decimals with a comma. */
export function formatQuantity(q: number): string {
  return String(q).replace('.', ',');
}

/** «Счёт №12 от 26.11.2026.pdf» (the number's unsafe file-name characters replaced). */
export function invoiceFileName(inv: Pick<Invoice, 'number' | 'date'>): string {
  return `Счёт №${inv.number.replace(/[\\/:*?"<>|]/g, '_')} от ${formatDateRu(inv.date)}.pdf`;
}

export function invoiceFileNameAscii(inv: Pick<Invoice, 'seq' | 'year' | 'date'>): string {
  return `invoice-${inv.year}-${inv.seq}-${formatDateRu(inv.date)}.pdf`;
}

const GRAY = '#555555';

function party(label: string, text: string): Content {
  return {
    columns: [
      { width: 95, text: label, fontSize: 9 },
      { width: '*', text, bold: true, fontSize: 9 },
    ],
    margin: [0, 0, 0, 6],
  };
}

function requisitesLine(p: { name: string; inn: string | null; kpp: string | null; address: string | null }, extra: string[] = []): string {
  const parts = [p.name];
  if (p.inn) parts.push(`ИНН ${p.inn}`);
  if (p.kpp) parts.push(`КПП ${p.kpp}`);
  parts.push(...extra);
  if (p.address) parts.push(p.address);
  return parts.join(', ');
}

/** VAT lines of the totals block: one per rate in use, or «Без налога (НДС)». */
function vatLines(inv: Invoice): { label: string; amount: string }[] {
  const byRate = new Map<number, number>();
  for (const it of inv.items) if (it.vatRate !== null) byRate.set(it.vatRate, (byRate.get(it.vatRate) ?? 0) + it.vat);
  if (byRate.size === 0) return [{ label: 'Без налога (НДС)', amount: '-' }];
  return [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rate, vat]) => ({ label: `В том числе НДС (${rate}%)`, amount: formatMoneyPlain(vat) }));
}

export function invoiceDocument(inv: Invoice, images: InvoiceImages = {}): TDocumentDefinitions {
  const s = inv.seller;
  const thin = { hLineWidth: () => 0.6, vLineWidth: () => 0.6, hLineColor: () => '#000', vLineColor: () => '#000' };

  // ── the bank block ──
  const bank: TableCell[][] = [
    [
      { text: [{ text: s.bankName + '\n\n' }, { text: 'Банк получателя', fontSize: 7.5, color: GRAY }], colSpan: 2, rowSpan: 2 },
      {},
      { text: 'БИК' },
      { text: s.bik },
    ],
    [{}, {}, { text: 'Сч. №' }, { text: s.corrAccount }],
    [{ text: `ИНН ${s.inn ?? ''}` }, { text: s.kpp ? `КПП ${s.kpp}` : '' }, { text: 'Сч. №', rowSpan: 2 }, { text: s.account, rowSpan: 2 }],
    [{ text: [{ text: s.name + '\n\n' }, { text: 'Получатель', fontSize: 7.5, color: GRAY }], colSpan: 2 }, {}, {}, {}],
  ];

  // ── items ──
  const head = ['№', 'Товары (работы, услуги)', 'Кол-во', 'Ед.', 'Цена', 'Сумма'].map(
    (t) => ({ text: t, bold: true, alignment: 'center', fillColor: '#f0f0f0' }) as TableCell,
  );
  const rows: TableCell[][] = inv.items.map((it, i) => [
    { text: String(i + 1), alignment: 'center' },
    { text: it.name },
    { text: formatQuantity(it.quantity), alignment: 'right', noWrap: true },
    { text: it.unit, alignment: 'center' },
    { text: formatMoneyPlain(it.price), alignment: 'right', noWrap: true },
    { text: formatMoneyPlain(it.total), alignment: 'right', noWrap: true },
  ]);

  const totals: TableCell[][] = [
    [
      { text: 'Итого:', bold: true, alignment: 'right' },
      { text: formatMoneyPlain(inv.total), bold: true, alignment: 'right' },
    ],
    ...vatLines(inv).map((l) => [
      { text: `${l.label}:`, bold: true, alignment: 'right' } as TableCell,
      { text: l.amount, bold: true, alignment: 'right' } as TableCell,
    ]),
    [
      { text: 'Всего к оплате:', bold: true, alignment: 'right' },
      { text: formatMoneyPlain(inv.total), bold: true, alignment: 'right' },
    ],
  ];

  const line = (width = 1.5): Content => ({
    canvas: [{ type: 'line', x1: 0, y1: 0, x2: 525, y2: 0, lineWidth: width }],
    margin: [0, 2, 0, 8],
  });

  const signature = (role: string, name: string | null): Content => ({
    columns: [
      { width: 75, text: role, bold: true },
      { width: 150, stack: [{ canvas: [{ type: 'line', x1: 0, y1: 12, x2: 140, y2: 12, lineWidth: 0.6 }] }] },
      { width: '*', text: name ? `/ ${name} /` : '', margin: [0, 2, 0, 0] },
    ],
  });

  const signatures: Content[] = [signature('Руководитель', s.director)];
  if (s.chiefAccountant) signatures.push({ text: '', margin: [0, 8, 0, 0] }, signature('Бухгалтер', s.chiefAccountant));

  const content: Content[] = [];
  if (images.logo) content.push({ image: images.logo, fit: [160, 50], margin: [0, 0, 0, 8] });
  content.push(
    {
      table: { widths: [120, 130, 50, '*'], body: bank },
      layout: thin,
      fontSize: 9,
    },
    {
      text: `Счёт на оплату № ${inv.number} от ${formatDateLongRu(inv.date)}`,
      fontSize: 14,
      bold: true,
      margin: [0, 18, 0, 4],
    },
    line(),
    party('Поставщик\n(Исполнитель):', requisitesLine(s, s.ogrn ? [`${s.ogrn.length === 15 ? 'ОГРНИП' : 'ОГРН'} ${s.ogrn}`] : [])),
    party('Покупатель\n(Заказчик):', requisitesLine(inv.buyer)),
    party('Основание:', `Сделка «${inv.dealTitle}»`),
    {
      table: { headerRows: 1, widths: [22, '*', 45, 32, 70, 80], body: [head, ...rows] },
      layout: thin,
      fontSize: 9,
      margin: [0, 4, 0, 6],
    },
    {
      table: { widths: ['*', 80], body: totals },
      layout: 'noBorders',
      fontSize: 9.5,
    },
    {
      text: `Всего наименований ${inv.items.length}, на сумму ${formatMoneyPlain(inv.total)} руб.`,
      fontSize: 9.5,
      margin: [0, 10, 0, 2],
    },
    { text: amountInWords(inv.total), bold: true, fontSize: 10, margin: [0, 0, 0, 8] },
    { text: `Оплатить не позднее ${formatDateRu(inv.dueDate)}`, fontSize: 9.5, margin: [0, 0, 0, 2] },
    {
      text: 'Оплата данного счёта означает согласие с условиями поставки товара (выполнения работ, оказания услуг). В назначении платежа укажите номер счёта.',
      fontSize: 7.5,
      color: GRAY,
      margin: [0, 0, 0, 6],
    },
    line(),
  );
  if (images.facsimile) {
    // The facsimile (signature and stamp) sits over the signature lines; out of flow, so the text keeps its place.
    content.push({
      unbreakable: true,
      margin: [0, 36, 0, 0],
      fontSize: 9.5,
      stack: [{ image: images.facsimile, fit: [120, 120], relativePosition: { x: 150, y: -48 } }, ...signatures],
    } as Content);
  } else {
    content.push({ stack: signatures, fontSize: 9.5, margin: [0, 14, 0, 0] });
  }

  return {
    pageSize: 'A4',
    pageMargins: [40, 30, 30, 40],
    info: { title: `Счёт на оплату № ${inv.number} от ${formatDateRu(inv.date)}`, author: s.name, creator: 'Воронка' },
    content,
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.1 },
  };
}

export function renderInvoicePdf(inv: Invoice, images: InvoiceImages = {}): Promise<Buffer> {
  return renderPdf(invoiceDocument(inv, images));
}
