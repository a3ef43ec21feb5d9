import { AppError, fieldError, notFound, ruleViolation, versionConflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hasAbility, type Actor } from '../../platform/permissions.js';
import { formatDateRu, localDate, toInstant } from '../../../common/dates.js';
import { formatMoney } from '../../../common/money.js';
import type { Invoice, PaymentInput } from '../../../common/api/invoices.js';
import { InvoiceBase } from './invoice-base.js';
import { invoicesRepo } from './invoices.repo.js';

/** Payments: partial, full, a confirmed overpayment as the client's credit; deleting an erroneous one (audited). */
export class InvoicePayments extends InvoiceBase {
  /**
   * Records a payment. Above the outstanding amount: 422 `overpayment` naming the excess, unless `confirmCredit` —
   * then the invoice takes what it lacks and the surplus is recorded as the client's credit.
   */
  async addPayment(actor: Actor, id: string, input: PaymentInput): Promise<Invoice> {
    this.check(actor, await invoicesRepo.find(this.ctx.db, id), 'write');
    const paidAt = this.paymentDate(input.paidAt);
    let becamePaid = false;
    const invoice = await this.ctx.db.transaction().execute(async (trx) => {
      const row = (await invoicesRepo.find(trx, id, { forUpdate: true, postgres: this.postgres }))!;
      const total = Number(row.total);
      const paid = Number(row.paid_amount);
      const remaining = total - paid;
      if (row.status === 'cancelled')
        throw ruleViolation('Счёт аннулирован: оплату по нему записать нельзя', undefined, 'The invoice is cancelled');
      if (remaining <= 0)
        throw ruleViolation('Счёт уже оплачен полностью', { amount: 'Счёт уже оплачен' }, 'The invoice is already paid in full');
      const over = input.amount - remaining;
      if (over > 0 && !input.confirmCredit) {
        throw new AppError('overpayment', {
          message: `Сумма оплаты больше остатка по счёту на ${formatMoney(over)} (остаток ${formatMoney(remaining)}). Уменьшите сумму или подтвердите зачёт излишка в аванс клиента (confirmCredit)`,
          messageEn: `The payment exceeds the outstanding amount by ${over} kopecks; reduce it or confirm the surplus as the client's credit (confirmCredit)`,
          fields: { amount: `Больше остатка на ${formatMoney(over)}` },
          details: { over, remaining },
        });
      }
      const applied = Math.min(input.amount, remaining);
      const credit = input.amount - applied;
      const now = new Date().toISOString();
      const paymentId = newId();
      await invoicesRepo.insertPayment(
        trx,
        {
          id: paymentId,
          invoice_id: id,
          client_id: row.client_id,
          amount: applied,
          credit,
          paid_at: paidAt,
          reference: input.reference?.trim() || null,
          created_by: actor.id,
          created_at: now,
        },
        credit > 0
          ? { id: newId(), client_id: row.client_id, payment_id: paymentId, invoice_id: id, amount: credit, created_at: now }
          : null,
      );
      const newPaid = paid + applied;
      becamePaid = newPaid >= total;
      if (
        !(await invoicesRepo.update(
          trx,
          id,
          { paid_amount: newPaid, status: becamePaid ? 'paid' : 'partially_paid', paid_at: becamePaid ? paidAt : null, updated_at: now },
          row.version,
        ))
      ) {
        throw versionConflict();
      }
      await this.ctx.services.timeline.add(trx, {
        clientId: row.client_id,
        dealId: row.deal_id,
        kind: 'payment',
        authorId: actor.id,
        text:
          `Оплата ${formatMoney(applied)} по счёту № ${row.number} от ${formatDateRu(paidAt)}` +
          (becamePaid ? ' — счёт оплачен полностью' : `, остаток ${formatMoney(total - newPaid)}`) +
          (credit > 0 ? `; излишек ${formatMoney(credit)} зачтён в аванс клиента` : ''),
        data: {
          action: 'payment',
          invoiceId: id,
          number: row.number,
          paymentId,
          amount: applied,
          credit,
          paidAt,
          reference: input.reference ?? null,
          paid: becamePaid,
        },
        at: now,
      });
      if (becamePaid) {
        await this.ctx.services.deals.moveByCode(trx, row.deal_id, 'paid', actor.id, { onlyForward: true });
        await this.ctx.domain.emit(trx, 'invoice.paid', {
          invoiceId: id,
          dealId: row.deal_id,
          clientId: row.client_id,
          actorId: actor.id,
        });
      }
      if (row.owner_id && row.owner_id !== actor.id) {
        await this.ctx.services.notifications.notify(trx, {
          userIds: [row.owner_id],
          kind: becamePaid ? 'invoice_paid' : 'invoice_payment',
          title: becamePaid ? `Счёт № ${row.number} оплачен` : `Частичная оплата счёта № ${row.number}`,
          text: `${row.client_name}: ${formatMoney(applied)}${becamePaid ? '' : `, остаток ${formatMoney(total - newPaid)}`}`,
          link: `/invoices/${id}`,
          entity: 'invoice',
          entityId: id,
        });
      }
      return (await this.load(trx, id))!;
    });
    this.live(invoice);
    return invoice;
  }

  /** 'YYYY-MM-DD' of a payment date given as a day or an ISO instant (company time zone); no future days. */
  private paymentDate(value: string): string {
    let day: string;
    try {
      day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(toInstant(value, this.tz), this.tz);
    } catch {
      throw fieldError('paidAt', 'Дата оплаты: ГГГГ-ММ-ДД или ISO-8601');
    }
    if (day > this.today()) throw fieldError('paidAt', 'Дата оплаты не может быть в будущем');
    if (day < '2000-01-01') throw fieldError('paidAt', 'Слишком ранняя дата оплаты');
    return day;
  }

  /** Deletes an erroneous payment (admin, accountant; audited); the invoice's status is recomputed, the deal stays. */
  async deletePayment(actor: Actor, paymentId: string): Promise<Invoice> {
    const payment = await invoicesRepo.findPayment(this.ctx.db, paymentId);
    if (!payment) throw notFound();
    this.check(actor, await invoicesRepo.find(this.ctx.db, payment.invoice_id), 'read');
    if (!hasAbility(actor, 'payment.delete')) {
      throw new AppError('forbidden', {
        message: 'Удалять оплаты может бухгалтер или администратор',
        messageEn: 'Only an accountant or an admin can delete payments',
      });
    }
    const invoice = await this.ctx.db.transaction().execute(async (trx) => {
      const row = (await invoicesRepo.find(trx, payment.invoice_id, { forUpdate: true, postgres: this.postgres }))!;
      if (!(await invoicesRepo.findPayment(trx, paymentId))) throw notFound();
      await invoicesRepo.deletePayment(trx, paymentId);
      const paid = await invoicesRepo.paidSum(trx, row.id);
      const total = Number(row.total);
      const status = paid >= total ? 'paid' : paid > 0 ? 'partially_paid' : row.sent_at ? 'sent' : 'issued';
      const now = new Date().toISOString();
      await invoicesRepo.update(trx, row.id, {
        paid_amount: paid,
        status,
        paid_at: status === 'paid' ? row.paid_at : null,
        updated_at: now,
      });
      await this.ctx.audit.write(
        {
          userId: actor.id,
          action: 'payment.delete',
          entity: 'payment',
          entityId: paymentId,
          data: {
            invoiceId: row.id,
            number: row.number,
            amount: Number(payment.amount),
            credit: Number(payment.credit),
            paidAt: payment.paid_at,
            reference: payment.reference,
          },
        },
        trx,
      );
      await this.ctx.services.timeline.add(trx, {
        clientId: row.client_id,
        dealId: row.deal_id,
        kind: 'payment',
        authorId: actor.id,
        text: `Удалена оплата ${formatMoney(Number(payment.amount))} по счёту № ${row.number} от ${formatDateRu(payment.paid_at)}`,
        data: { action: 'payment_deleted', invoiceId: row.id, number: row.number, paymentId, amount: Number(payment.amount) },
        at: now,
      });
      return (await this.load(trx, row.id))!;
    });
    this.live(invoice);
    return invoice;
  }
}
