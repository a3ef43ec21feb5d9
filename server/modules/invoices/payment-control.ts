import type { Tx } from '../../platform/db/connect.js';
import { formatDateRu, zonedDateTime } from '../../../common/dates.js';
import { formatMoney } from '../../../common/money.js';
import { InvoiceBase } from './invoice-base.js';
import { invoicesRepo } from './invoices.repo.js';

/** Payment control (DESIGN §5): an invoice unpaid after its due date creates a control task for its deal's owner. */
export class PaymentControl extends InvoiceBase {
  /**
   * Job: open invoices past their due date (company time zone) get marked overdue once; the deal owner gets one
   * `control` task (dedupe key `invoice-overdue:<id>`) and a notification; automation hears `invoice.overdue`.
   */
  async checkOverdue(trx: Tx, now: Date = new Date()): Promise<number> {
    const today = this.today(now);
    let marked = 0;
    for (;;) {
      const rows = await invoicesRepo.dueForControl(trx, today, 200);
      for (const r of rows) {
        if (!(await invoicesRepo.markOverdue(trx, r.id, now.toISOString()))) continue;
        marked++;
        const deal = await this.ctx.services.deals.load(trx, r.deal_id);
        const ownerId = deal?.ownerId ?? null;
        const outstanding = Number(r.total) - Number(r.paid_amount);
        const title = `Проконтролировать оплату: счёт № ${r.number} просрочен`;
        const text = `${r.client_name}: не оплачено ${formatMoney(outstanding)}, срок был ${formatDateRu(r.due_date)}`;
        if (ownerId) {
          let dueAt = zonedDateTime(today, '18:00', this.tz);
          if (dueAt.getTime() < now.getTime()) dueAt = new Date(now.getTime() + 3600_000);
          await this.ctx.services.tasks.createSystemTask(trx, {
            title,
            type: 'control',
            dueAt,
            assigneeId: ownerId,
            clientId: r.client_id,
            dealId: r.deal_id,
            authorId: null,
            description: `${text}. Свяжитесь с клиентом и уточните дату оплаты.`,
            source: 'payment_control',
            dedupeKey: `invoice-overdue:${r.id}`,
          });
          await this.ctx.services.notifications.notify(trx, {
            userIds: [ownerId],
            kind: 'invoice_overdue',
            title: `Счёт № ${r.number} просрочен`,
            text,
            link: `/invoices/${r.id}`,
            entity: 'invoice',
            entityId: r.id,
          });
        }
        await this.ctx.services.timeline.add(trx, {
          clientId: r.client_id,
          dealId: r.deal_id,
          kind: 'invoice',
          authorId: null,
          text: `Счёт № ${r.number} просрочен: ${text}`,
          data: { action: 'overdue', invoiceId: r.id, number: r.number, outstanding, dueDate: r.due_date },
          at: now.toISOString(),
        });
        await this.ctx.domain.emit(trx, 'invoice.overdue', {
          invoiceId: r.id,
          dealId: r.deal_id,
          clientId: r.client_id,
          actorId: null,
        });
      }
      if (rows.length < 200) break;
    }
    return marked;
  }
}
