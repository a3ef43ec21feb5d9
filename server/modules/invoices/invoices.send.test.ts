/**
 * Sending invoices by e-mail through a REAL SMTP server running in-process (smtp-server): the message that
 * arrives is parsed (minimal MIME: headers, encoded words, multipart, base64, RFC 2231 file names).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Config } from '../../config.js';
import { describeEachDialect, type TestClient } from '../../test/harness.js';
import { pdfText, testCompany } from './fixtures.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
/** Filled before the harness starts (its config is read when the suite begins). */
const config: Partial<Config> = {};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('reject@')) return cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? (session.envelope.mailFrom as { address: string }).address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = ((smtp as any).server.address() as AddressInfo).port;
  config.smtpUrl = `smtp://127.0.0.1:${port}?from=sales@voronka.test`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

// ── minimal MIME ──

function splitHeaders(part: string): { headers: Map<string, string>; body: string } {
  const at = part.indexOf('\r\n\r\n');
  const head = part.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: part.slice(at + 4) };
}

/** =?UTF-8?B?…?= and =?UTF-8?Q?…?= words (adjacent ones joined). */
function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _cs, enc, text) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m: string, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return bytes.toString('utf8');
  });
}

/** A header parameter, plain, quoted, encoded word, or RFC 2231 (`name*=`, `name*0*=` continuations). */
function param(header: string, name: string): string | null {
  const parts: { i: number; v: string; enc: boolean }[] = [];
  const re = new RegExp(`${name}(\\*(\\d+))?(\\*)?=("([^"]*)"|[^;\\s]+)`, 'gi');
  for (const m of header.matchAll(re)) parts.push({ i: Number(m[2] ?? 0), v: m[5] ?? m[4], enc: !!m[3] });
  if (!parts.length) return null;
  parts.sort((a, b) => a.i - b.i);
  const joined = parts.map((p) => (p.enc ? p.v.replace(/^[\w-]+'[\w-]*'/, '') : p.v)).join('');
  if (parts.some((p) => p.enc))
    return Buffer.from(
      joined.replace(/%([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return decodeWords(joined);
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    return Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  }
  return Buffer.from(body, 'latin1');
}

interface Part {
  headers: Map<string, string>;
  content: Buffer;
}

function parts(raw: string): { headers: Map<string, string>; parts: Part[] } {
  const top = splitHeaders(raw);
  const boundary = param(top.headers.get('content-type') ?? '', 'boundary');
  if (!boundary)
    return {
      headers: top.headers,
      parts: [{ headers: top.headers, content: decodeBody(top.body, top.headers.get('content-transfer-encoding')) }],
    };
  const out: Part[] = [];
  for (const chunk of top.body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const p = splitHeaders(chunk.replace(/^\r\n/, ''));
    const nested = param(p.headers.get('content-type') ?? '', 'boundary');
    if (nested) {
      const inner = parts([...p.headers].map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n' + p.body);
      out.push(...inner.parts);
    } else {
      out.push({ headers: p.headers, content: decodeBody(p.body.replace(/\r\n$/, ''), p.headers.get('content-transfer-encoding')) });
    }
  }
  return { headers: top.headers, parts: out };
}

describeEachDialect(
  'invoice e-mail over SMTP',
  (h) => {
    let m1: TestClient;
    let client: any;
    let inv: any;

    beforeAll(async () => {
      expect((await h.admin.put('/api/settings/company', testCompany())).status).toBe(200);
      m1 = await h.user('manager', { name: 'Иван Менеджеров', email: `ivan.${h.dialect}@voronka.test` });
      client = (
        await m1.post('/api/clients', { kind: 'company', name: 'ООО «Ромашка»', emails: ['Buh@Romashka.RU', 'director@romashka.ru'] })
      ).body;
      const deal = (
        await m1.post('/api/deals', {
          clientId: client.id,
          title: 'Окна',
          items: [{ name: 'Окно ПВХ', quantity: 2, price: 1500000, vatRate: 22 }],
        })
      ).body;
      inv = (await m1.post(`/api/deals/${deal.id}/invoices`)).body;
      expect(inv.number).toBe('1');
    });

    it('sends the PDF to the client’s first e-mail: the message arrives with the attachment; the invoice becomes «sent»', async () => {
      const before = received.length;
      const res = await m1.post(`/api/invoices/${inv.id}/send`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ status: 'sent', sentTo: 'buh@romashka.ru' });
      expect(res.body.sentAt).toBeTruthy();
      expect(received.length).toBe(before + 1);

      const msg = received[received.length - 1];
      expect(msg.to).toEqual(['buh@romashka.ru']);
      expect(msg.from).toBe('sales@voronka.test');
      const mail = parts(msg.raw);
      const subject = decodeWords(mail.headers.get('subject')!);
      expect(subject).toMatch(/^Счёт на оплату № 1 от \d+ [а-я]+ \d{4} г\. — ООО «Воронка-Тест»$/);
      expect(decodeWords(mail.headers.get('from')!)).toContain('sales@voronka.test');
      expect(mail.headers.get('reply-to')).toContain(`ivan.${h.dialect}@voronka.test`);

      const text = mail.parts.find((p) => (p.headers.get('content-type') ?? '').startsWith('text/plain'))!;
      const body = text.content.toString('utf8');
      expect(body).toContain('Здравствуйте!');
      expect(body.replace(/\u00a0/g, ' ')).toContain('на сумму 30 000,00 ₽');
      expect(body).toContain('Тридцать тысяч рублей 00 копеек');
      expect(body).toContain('Иван Менеджеров');

      const attachment = mail.parts.find((p) => (p.headers.get('content-type') ?? '').startsWith('application/pdf'))!;
      expect(attachment).toBeTruthy();
      const filename = param(attachment.headers.get('content-disposition') ?? '', 'filename');
      expect(filename).toMatch(/^Счёт №1 от \d\d\.\d\d\.\d{4}\.pdf$/);
      // The base64 of "%PDF-" is JVBERi0.
      expect(msg.raw).toContain('JVBERi0');
      expect(attachment.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pdf = pdfText(attachment.content);
      expect(pdf, 'pdftotext (poppler-utils) is needed for this test').not.toBeNull();
      expect(pdf!.replace(/\s+/g, ' ')).toContain('Счёт на оплату № 1 от');

      const timeline = (await h.admin.get(`/api/clients/${client.id}/timeline?limit=100`)).body.items;
      const entry = timeline.find((e: any) => e.kind === 'invoice' && e.data?.action === 'sent');
      expect(entry.text).toBe('Счёт № 1 отправлен на buh@romashka.ru');
      expect(entry.authorId).toBe(m1.user!.id);
    });

    it('to an explicit address; a payment status is kept when re-sent', async () => {
      await h.admin.post(`/api/invoices/${inv.id}/payments`, { amount: 1000000, paidAt: new Date().toISOString() });
      const res = await m1.post(`/api/invoices/${inv.id}/send`, { email: 'Director@Romashka.ru' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'partially_paid', sentTo: 'director@romashka.ru' });
      expect(received[received.length - 1].to).toEqual(['director@romashka.ru']);
    });

    it('a refusing mail server: 502 mail_failed with the reason; nothing changes', async () => {
      const before = (await m1.get(`/api/invoices/${inv.id}`)).body;
      const res = await m1.post(`/api/invoices/${inv.id}/send`, { email: 'reject@romashka.ru' });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('mail_failed');
      expect(res.body.error.message).toMatch(/Не удалось отправить письмо/);
      const after = (await m1.get(`/api/invoices/${inv.id}`)).body;
      expect(after.sentTo).toBe(before.sentTo);
      expect(after.version).toBe(before.version);
    });
  },
  { config },
);
