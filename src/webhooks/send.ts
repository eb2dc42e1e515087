import { Webhook } from 'standardwebhooks';
import type { Delivery, Outcome } from './outbox';
import { withoutTargetSecrets } from './settings';

const describeError = (error: unknown, timeoutMs: number): string => {
  // A DOMException (the timeout signal's reason) is no Error in Node 20: test its name alone.
  if ((error as { name?: unknown })?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms (WEBHOOK_TIMEOUT_MS)`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
};

/**
 * fetch refuses a URL with credentials (and its error quotes the URL): user:password@ in a
 * target is sent as Basic authorization instead.
 */
const requestOf = (target: string): { url: string; headers: Record<string, string> } => {
  const url = new URL(target);
  if (!url.username && !url.password) return { url: target, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
};

/**
 * One attempt: POSTs the delivery's body, signed the Standard Webhooks way (webhook-id,
 * webhook-timestamp of this attempt, webhook-signature over both and the body). Any 2xx is
 * accepted; everything else, a refused connection or a timeout is a failure to retry.
 */
export const sendDelivery = async (webhook: Webhook, delivery: Delivery, signal: AbortSignal, timeoutMs: number): Promise<Outcome> => {
  const timestamp = new Date();
  const signature = webhook.sign(delivery.messageId, timestamp, delivery.body);
  try {
    const request = requestOf(delivery.target);
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'user-agent': 'ipam-workshops-webhooks',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: delivery.body,
      redirect: 'manual',
      signal,
    });
    // The answer's body is not used; reading it frees the connection.
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    // The answer may quote the request's URL (a 404 page): its token stays out of the log.
    const error = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    return { ok: false, statusCode: response.status, error: withoutTargetSecrets(error, delivery.target) };
  } catch (error) {
    return { ok: false, error: withoutTargetSecrets(describeError(error, timeoutMs), delivery.target) };
  }
};
