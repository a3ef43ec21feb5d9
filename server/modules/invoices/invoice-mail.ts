import { AppError, ruleViolation } from '../../platform/errors.js';
import { sendMail } from '../../platform/mail.js';
import type { Actor } from '../../platform/permissions.js';
import { formatDateLongRu, formatDateRu } from '../../../common/dates.js';
import { formatMoney } from '../../../common/money.js';
import { amountInWords } from '../../../common/amount-in-words.js';
import type { Invoice } from '../../../common/api/invoices.js';
import { invoiceFileName } from './invoice-pdf.js';
import { InvoiceBase, SYSTEM } from './invoice-base.js';
import { invoicesRepo } from './invoices.repo.js';

/** Sending an invoice by e-mail: the PDF attached, a letter in Russian; the invoice becomes «Отправлен». */
export class InvoiceMail extends InvoiceBase {
  /** E-mails the PDF to `email` or the client's first address; the invoice becomes «Отправлен». */
  async send(actor: Actor, id: string, input: { email?: string } = {}): Promise<Invoice> {
    const row = this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    if (row.status === 'cancelled') throw ruleViolation('Счёт аннулирован: отправить его нельзя', undefined, 'The invoice is cancelled');
    let email = input.email?.toLowerCase();
    if (!email) {
      const client = await this.ctx.services.clients.getForActor(SYSTEM, row.client_id, 'read');
      email = client.emails[0];
      if (!email) {
        throw ruleViolation(
          'У клиента нет e-mail: укажите адрес для отправки счёта',
          { email: 'Укажите e-mail получателя' },
          'The client has no e-mail: give an address',
        );
      }
    }
    if (!this.ctx.config.smtpUrl) throw new AppError('smtp_not_configured');
    const invoice = await this.full(this.ctx.db, row);
    const pdf = await this.renderPdf(invoice);
    const title = `Счёт на оплату № ${invoice.number} от ${formatDateLongRu(invoice.date)}`;
    const vatText = invoice.vatAmount > 0 ? `в том числе НДС ${formatMoney(invoice.vatAmount)}` : 'без НДС';
    await sendMail(this.ctx.config, {
      to: email,
      subject: `${title} — ${invoice.seller.name}`,
      fromName: invoice.seller.name,
      replyTo: actor.email || undefined,
      text: [
        'Здравствуйте!',
        '',
        `Направляем ${title.charAt(0).toLowerCase()}${title.slice(1)} на сумму ${formatMoney(invoice.total)} (${vatText}).`,
        `${amountInWords(invoice.total)}.`,
        `Оплатить не позднее ${formatDateRu(invoice.dueDate)}. В назначении платежа, пожалуйста, укажите номер счёта.`,
        '',
        'Счёт — во вложении (PDF).',
        '',
        'С уважением,',
        actor.name,
        invoice.seller.name,
      ].join('\n'),
      attachments: [{ filename: invoiceFileName(invoice), content: pdf, contentType: 'application/pdf' }],
    });
    const result = await this.ctx.db.transaction().execute(async (trx) => {
      const current = (await invoicesRepo.find(trx, id, { forUpdate: true, postgres: this.postgres }))!;
      const now = new Date().toISOString();
      await invoicesRepo.update(trx, id, {
        status: current.status === 'issued' ? 'sent' : current.status,
        sent_at: now,
        sent_to: email,
        updated_at: now,
      });
      await this.ctx.services.timeline.add(trx, {
        clientId: current.client_id,
        dealId: current.deal_id,
        kind: 'invoice',
        authorId: actor.id,
        text: `Счёт № ${current.number} отправлен на ${email}`,
        data: { action: 'sent', invoiceId: id, number: current.number, email },
        at: now,
      });
      await this.ctx.domain.emit(trx, 'invoice.sent', {
        invoiceId: id,
        dealId: current.deal_id,
        clientId: current.client_id,
        actorId: actor.id,
        at: now,
      });
      return (await this.load(trx, id))!;
    });
    this.live(result);
    return result;
  }
}
