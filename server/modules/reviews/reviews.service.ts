import type { Ctx } from '../../platform/context.js';
import type { Executor } from '../../platform/db/connect.js';
import { AppError, fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, scopeCondition, type Actor } from '../../platform/permissions.js';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { addDaysToDate, zonedMidnight } from '../../../common/dates.js';
import {
  reviewSourceLabelsRu,
  sentimentLabelsRu,
  sentimentOfRating,
  type CreateReviewInput,
  type Review,
  type ReviewsQuery,
  type ReviewsSummary,
} from '../../../common/api/reviews.js';
import type { Deal } from '../../../common/api/deals.js';
import { reviewsRepo, toReview, type ReviewFilters, type ReviewWhere } from './reviews.repo.js';

declare module '../../platform/context.js' {
  interface Services {
    reviews: ReviewsService;
  }
}

/**
 * The review base (DESIGN §4, §5). A review goes on the client's timeline; a negative one sets the card's
 * «негативный отзыв» mark and fires `review.negative` (the default rule gives the head a control task and a
 * notification); a review of a deal in «Сдано клиенту» moves it to «Отзыв получен».
 * Scope (§6) follows the client's owner: manager — his clients; head — his department; owner/admin — all.
 */
export class ReviewsService {
  constructor(private ctx: Ctx) {}

  private scope(actor: Actor): ReviewWhere {
    return (eb) => scopeCondition(eb, actor, 'review', 'read', ['c.owner_id']);
  }

  private filters(q: Partial<ReviewsQuery>): ReviewFilters {
    const tz = this.ctx.config.tz;
    return {
      clientId: q.clientId,
      dealId: q.dealId,
      sentiment: q.sentiment,
      source: q.source,
      from: q.from ? zonedMidnight(q.from, tz).toISOString() : undefined,
      before: q.to ? zonedMidnight(addDaysToDate(q.to, 1), tz).toISOString() : undefined,
    };
  }

  async list(actor: Actor, q: ReviewsQuery & { limit: number; cursor?: string }): Promise<Page<Review>> {
    assertCan(actor, 'review', 'read');
    const after = decodeCursor(q.cursor, 'timestamp');
    const rows = await reviewsRepo.list(this.ctx.db, {
      scope: this.scope(actor),
      filters: this.filters(q),
      limit: q.limit,
      before: after ? { createdAt: after.key, id: after.id } : undefined,
    });
    return toPage(rows, q.limit, toReview, (r) => encodeCursor(r.created_at, r.id));
  }

  async get(actor: Actor, id: string): Promise<Review> {
    assertCan(actor, 'review', 'read');
    const rows = await reviewsRepo.list(this.ctx.db, { scope: this.scope(actor), filters: {}, limit: 1, byId: id });
    if (!rows[0]) throw notFound();
    return toReview(rows[0]);
  }

  /** A review without a permission check (automation templates). */
  async load(exec: Executor, id: string): Promise<Review | null> {
    const row = await reviewsRepo.find(exec, id);
    return row ? toReview(row) : null;
  }

  async summary(actor: Actor, q: { from?: string; to?: string; clientId?: string }): Promise<ReviewsSummary> {
    assertCan(actor, 'review', 'read');
    const s = await reviewsRepo.summary(this.ctx.db, { scope: this.scope(actor), filters: this.filters(q) });
    return {
      count: s.count,
      avgRating: s.count ? Math.round((s.ratingSum / s.count) * 100) / 100 : null,
      bySentiment: { positive: s.positive, neutral: s.neutral, negative: s.negative },
      negativeShare: s.count ? Math.round((s.negative / s.count) * 10000) / 10000 : 0,
    };
  }

  async create(actor: Actor, input: CreateReviewInput): Promise<Review> {
    assertCan(actor, 'review', 'write');
    let client;
    try {
      client = await this.ctx.services.clients.getForActor(actor, input.clientId, 'read');
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw fieldError('clientId', 'Клиент не найден');
      throw err;
    }
    let deal: Deal | null = null;
    if (input.dealId) {
      try {
        deal = await this.ctx.services.deals.getForActor(actor, input.dealId, 'read');
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') throw fieldError('dealId', 'Сделка не найдена');
        throw err;
      }
      if (deal.clientId !== client.id) throw fieldError('dealId', 'Это сделка другого клиента');
    }
    const sentiment = input.sentiment ?? sentimentOfRating(input.rating);
    const id = newId();
    const now = new Date().toISOString();
    const { review, moved } = await this.ctx.db.transaction().execute(async (trx) => {
      await reviewsRepo.insert(trx, {
        id,
        client_id: client.id,
        deal_id: deal?.id ?? null,
        rating: input.rating,
        sentiment,
        text: input.text,
        source: input.source ?? null,
        author_id: actor.id,
        created_at: now,
      });
      const source = input.source ? `, ${reviewSourceLabelsRu[input.source].toLowerCase()}` : '';
      await this.ctx.services.timeline.add(trx, {
        clientId: client.id,
        dealId: deal?.id ?? null,
        kind: 'review',
        authorId: actor.id,
        text: `Отзыв (${sentimentLabelsRu[sentiment].toLowerCase()}, оценка ${input.rating} из 5${source}): ${input.text}`,
        data: { reviewId: id, rating: input.rating, sentiment, source: input.source ?? null },
        at: now,
      });
      if (sentiment === 'negative') {
        await this.ctx.services.clients.markNegativeFeedback(trx, client.id);
        await this.ctx.domain.emit(trx, 'review.negative', {
          clientId: client.id,
          dealId: deal?.id ?? null,
          reviewId: id,
          actorId: actor.id,
          at: now,
        });
      }
      let moved = false;
      if (deal) {
        const current = await this.ctx.services.deals.load(trx, deal.id);
        if (current?.stageCode === 'delivered') {
          moved = (await this.ctx.services.deals.moveByCode(trx, deal.id, 'feedback', actor.id, { onlyForward: true })).moved;
        }
      }
      const row = await reviewsRepo.find(trx, id);
      return { review: toReview(row!), moved };
    });
    this.emit(review, client.ownerId, moved);
    return review;
  }

  /** Called by the clients module inside a merge: the reviews follow the surviving client. */
  async moveClient(exec: Executor, fromId: string, toId: string): Promise<void> {
    await reviewsRepo.moveClient(exec, fromId, toId);
  }

  /** Live update, after commit, to everyone who may see the client's reviews. */
  private emit(review: Review, ownerId: string | null, dealMoved: boolean): void {
    this.ctx.events.emit(
      'review.created',
      { id: review.id, clientId: review.clientId, dealId: review.dealId, sentiment: review.sentiment, dealMoved },
      { record: { resource: 'review', ownerIds: [ownerId] } },
    );
  }
}
