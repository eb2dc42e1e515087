import type { Core } from '@strapi/strapi';
import { Webhook } from 'standardwebhooks';
import { claimDueDeliveries, recordAttempt, releaseDelivery, type Delivery } from './outbox';
import { sendDelivery } from './send';
import { describeTarget, retryDelayMs, type WebhookConfig } from './settings';

/** Deliveries claimed (and sent in parallel) per round. */
const BATCH = 10;
/** The lease outlasts an attempt's timeout by this much (the database round trips around it). */
const LEASE_MARGIN_MS = 10000;

/**
 * An attempt's signal: aborted by stop(), or after timeoutMs with a TimeoutError. A timer of its
 * own rather than AbortSignal.any([stopping, AbortSignal.timeout(ms)]): in Node 20 a garbage
 * collection may take the timeout signal that only the combined one refers to, and the attempt
 * then never times out (a target that accepted the connection and never answered held the
 * round, and every delivery behind it, for good).
 */
const attemptSignal = (stopping: AbortSignal, timeoutMs: number) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const stop = () => controller.abort(stopping.reason);
  stopping.addEventListener('abort', stop, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', stop);
    },
  };
};

/**
 * Sends what the outbox holds: a round every pollIntervalMs (which also picks up what a previous
 * run left pending), and one right after each change commits (kick). Rounds never overlap in one
 * instance; instances exclude each other through the rows' lease.
 */
export class WebhookDispatcher {
  private readonly webhook: Webhook;
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;

  constructor(
    private readonly strapi: Core.Strapi,
    private readonly settings: WebhookConfig
  ) {
    this.webhook = new Webhook(settings.secret);
  }

  start() {
    this.kick();
  }

  /** Runs a round now, or right after the one under way. */
  kick() {
    if (this.stopping.signal.aborted) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round = this.runRounds().finally(() => {
      this.round = undefined;
      if (!this.stopping.signal.aborted) this.timer = setTimeout(() => this.kick(), this.settings.pollIntervalMs);
    });
  }

  /** Stops polling, aborts attempts under way (their rows are given back untouched) and waits for the round. */
  async stop() {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.round;
  }

  private async runRounds() {
    do {
      this.again = false;
      try {
        while (!this.stopping.signal.aborted && (await this.runRound()) === BATCH);
      } catch (error) {
        // The database may be away for a moment: the next round tries again.
        this.strapi.log.error(`Webhooks: could not read the outbox: ${String(error)}`);
      }
    } while (this.again && !this.stopping.signal.aborted);
  }

  /** Claims and sends one batch; returns how many it claimed. */
  private async runRound(): Promise<number> {
    const { token, deliveries } = await claimDueDeliveries(this.strapi, BATCH, this.settings.timeoutMs + LEASE_MARGIN_MS);
    await Promise.all(deliveries.map((delivery) => this.attempt(delivery, token)));
    return deliveries.length;
  }

  private async attempt(delivery: Delivery, token: string) {
    const { signal, done } = attemptSignal(this.stopping.signal, this.settings.timeoutMs);
    const outcome = await sendDelivery(this.webhook, delivery, signal, this.settings.timeoutMs).finally(done);
    if (!outcome.ok && this.stopping.signal.aborted) {
      await releaseDelivery(this.strapi, delivery, token);
      return;
    }
    const attempts = delivery.attempts + 1;
    const what = `Webhook ${delivery.eventType} ${delivery.messageId} to ${describeTarget(delivery.target)}`;
    if (outcome.ok) {
      await recordAttempt(this.strapi, delivery, token, outcome, null);
      this.strapi.log.debug(`${what}: delivered (HTTP ${outcome.statusCode}, attempt ${attempts}).`);
      return;
    }
    const last = attempts >= this.settings.maxAttempts;
    const next = last ? null : new Date(Date.now() + retryDelayMs(this.settings, attempts));
    await recordAttempt(this.strapi, delivery, token, outcome, next);
    const then = next ? `next attempt at ${next.toISOString()}` : 'no more attempts: marked failed';
    const message = `${what} failed (attempt ${attempts} of ${this.settings.maxAttempts}): ${outcome.error}; ${then}.`;
    if (last) this.strapi.log.error(message);
    else this.strapi.log.warn(message);
  }
}
