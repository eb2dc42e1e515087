import crypto from 'crypto';
import type { Core } from '@strapi/strapi';

/** The outbox: one row per event and target (src/api/webhook-delivery), a read-only log in the admin UI. */
export const OUTBOX = 'api::webhook-delivery.webhook-delivery';

export interface Delivery {
  id: number;
  eventType: string;
  messageId: string;
  target: string;
  body: string;
  attempts: number;
}

/** What one attempt came to. */
export type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode?: number; error: string };

const leaseIsFree = (now: Date) => ({ $or: [{ lockedUntil: { $null: true } }, { lockedUntil: { $lt: now } }] });

/**
 * Claims up to `limit` deliveries that are due, for `leaseMs`: one conditional UPDATE (the lease
 * still free) that two instances cannot both win, on SQLite (writes are serialised) as on
 * PostgreSQL (the second UPDATE waits for the first's row locks, then re-checks the condition).
 * An instance that dies while sending leaves its lease to expire: the row is sent again (at
 * least once), with the same webhook-id.
 */
export const claimDueDeliveries = async (strapi: Core.Strapi, limit: number, leaseMs: number): Promise<{ token: string; deliveries: Delivery[] }> => {
  const outbox = strapi.db.query(OUTBOX);
  const now = new Date();
  const due: Array<{ id: number }> = await outbox.findMany({
    where: { deliveryStatus: 'pending', nextAttemptAt: { $lte: now }, ...leaseIsFree(now) },
    select: ['id'],
    orderBy: { id: 'asc' },
    limit,
  });
  const token = crypto.randomUUID();
  if (!due.length) return { token, deliveries: [] };
  await outbox.updateMany({
    where: { id: { $in: due.map(({ id }) => id) }, deliveryStatus: 'pending', ...leaseIsFree(now) },
    data: { lockedUntil: new Date(now.getTime() + leaseMs), claimToken: token },
  });
  const deliveries: Delivery[] = await outbox.findMany({
    where: { claimToken: token },
    select: ['id', 'eventType', 'messageId', 'target', 'body', 'attempts'],
  });
  return { token, deliveries };
};

/** Gives a claimed delivery back untouched (the instance is stopping): another sends it at once. */
export const releaseDelivery = (strapi: Core.Strapi, delivery: Delivery, token: string) =>
  strapi.db.query(OUTBOX).updateMany({ where: { id: delivery.id, claimToken: token }, data: { lockedUntil: null, claimToken: null } });

/**
 * Records an attempt, if this claim still holds the row (a lease that ran out may have passed it
 * to another instance, whose record wins). `nextAttemptAt` null: no more attempts.
 */
export const recordAttempt = (strapi: Core.Strapi, delivery: Delivery, token: string, outcome: Outcome, nextAttemptAt: Date | null) => {
  const attempts = delivery.attempts + 1;
  const common = { attempts, lastStatusCode: outcome.statusCode ?? null, lockedUntil: null, claimToken: null };
  const data = outcome.ok
    ? { ...common, deliveryStatus: 'delivered', deliveredAt: new Date(), nextAttemptAt: null, lastError: null }
    : { ...common, deliveryStatus: nextAttemptAt ? 'pending' : 'failed', nextAttemptAt, lastError: outcome.error.slice(0, 2000) };
  return strapi.db.query(OUTBOX).updateMany({ where: { id: delivery.id, claimToken: token }, data });
};
