import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { DB, ReviewsTable } from '../../platform/db/schema.js';
import type { Review, ReviewSource, Sentiment } from '../../../common/api/reviews.js';

export type ReviewRow = Selectable<ReviewsTable>;

/** Joined tables of a review: reviews r, clients c, deals d (left), users au (author, left). */
type ReviewDB = DB & { r: ReviewsTable; c: DB['clients']; d: DB['deals']; au: DB['users'] };
export type ReviewEb = ExpressionBuilder<ReviewDB, 'r' | 'c' | 'd' | 'au'>;
export type ReviewWhere = (eb: ReviewEb) => Expression<SqlBool>;

export interface ReviewJoinedRow extends ReviewRow {
  client_name: string;
  client_owner_id: string | null;
  deal_title: string | null;
  author_name: string | null;
}

export function toReview(r: ReviewJoinedRow): Review {
  return {
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    dealId: r.deal_id,
    dealTitle: r.deal_title,
    rating: Number(r.rating),
    sentiment: r.sentiment as Sentiment,
    text: r.text,
    source: r.source as ReviewSource | null,
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: r.created_at,
  };
}

export interface ReviewFilters {
  clientId?: string;
  dealId?: string;
  sentiment?: string;
  source?: string;
  /** ISO instants: created_at >= from, created_at < before. */
  from?: string;
  before?: string;
}

function joined(db: Executor) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('clients as c', 'c.id', 'r.client_id')
    .leftJoin('deals as d', 'd.id', 'r.deal_id')
    .leftJoin('users as au', 'au.id', 'r.author_id');
}

function filtersCondition(eb: ReviewEb, f: ReviewFilters): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [];
  if (f.clientId) conds.push(eb('r.client_id', '=', f.clientId));
  if (f.dealId) conds.push(eb('r.deal_id', '=', f.dealId));
  if (f.sentiment) conds.push(eb('r.sentiment', '=', f.sentiment));
  if (f.source) conds.push(eb('r.source', '=', f.source));
  if (f.from) conds.push(eb('r.created_at', '>=', f.from));
  if (f.before) conds.push(eb('r.created_at', '<', f.before));
  return eb.and(conds);
}

export const reviewsRepo = {
  insert(db: Executor, row: ReviewRow) {
    return db.insertInto('reviews').values(row).execute();
  },

  find(db: Executor, id: string) {
    return joined(db)
      .selectAll('r')
      .select(['c.name as client_name', 'c.owner_id as client_owner_id', 'd.title as deal_title', 'au.name as author_name'])
      .where('r.id', '=', id)
      .executeTakeFirst() as Promise<ReviewJoinedRow | undefined>;
  },

  /** Newest first, within the scope. */
  list(
    db: Executor,
    opts: { scope: ReviewWhere; filters: ReviewFilters; limit: number; before?: { createdAt: string; id: string }; byId?: string },
  ) {
    let q = joined(db)
      .selectAll('r')
      .select(['c.name as client_name', 'c.owner_id as client_owner_id', 'd.title as deal_title', 'au.name as author_name'])
      .where((eb) => opts.scope(eb as ReviewEb))
      .where((eb) => filtersCondition(eb as ReviewEb, opts.filters));
    if (opts.byId) q = q.where('r.id', '=', opts.byId);
    if (opts.before) {
      const { createdAt, id } = opts.before;
      q = q.where((eb) => eb.or([eb('r.created_at', '<', createdAt), eb.and([eb('r.created_at', '=', createdAt), eb('r.id', '<', id)])]));
    }
    return q
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(opts.limit + 1)
      .execute() as Promise<ReviewJoinedRow[]>;
  },

  async summary(db: Executor, opts: { scope: ReviewWhere; filters: ReviewFilters }) {
    const r = await joined(db)
      .where((eb) => opts.scope(eb as ReviewEb))
      .where((eb) => filtersCondition(eb as ReviewEb, opts.filters))
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('r.rating').as('rating_sum'),
        sql<number>`sum(case when r.sentiment = 'positive' then 1 else 0 end)`.as('positive'),
        sql<number>`sum(case when r.sentiment = 'neutral' then 1 else 0 end)`.as('neutral'),
        sql<number>`sum(case when r.sentiment = 'negative' then 1 else 0 end)`.as('negative'),
      ])
      .executeTakeFirstOrThrow();
    return {
      count: Number(r.n),
      ratingSum: Number(r.rating_sum ?? 0),
      positive: Number(r.positive ?? 0),
      neutral: Number(r.neutral ?? 0),
      negative: Number(r.negative ?? 0),
    };
  },

  moveClient(db: Executor, fromId: string, toId: string) {
    return db.updateTable('reviews').set({ client_id: toId }).where('client_id', '=', fromId).execute();
  },
};
