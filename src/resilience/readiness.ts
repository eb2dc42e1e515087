import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { databaseAnswers } from './database-probe';
import { isShuttingDown } from './graceful-shutdown';

export const READINESS_PATH = '/_ready';

/**
 * Readiness, beside Strapi's liveness `/_health` (always 204 while the process runs): 200 when
 * this instance can serve (its database answers a trivial query in time), 503 otherwise and
 * while it shuts down, so a load balancer sends traffic elsewhere without restarting it.
 */
const readiness = (strapi: Core.Strapi) => async (ctx: Context) => {
  ctx.set('Cache-Control', 'no-store');
  if (isShuttingDown(strapi)) {
    ctx.status = 503;
    ctx.body = { status: 'shutting down' };
    return;
  }
  const ready = await databaseAnswers(strapi);
  ctx.status = ready ? 200 : 503;
  ctx.body = { status: ready ? 'ready' : 'database unavailable' };
};

export const registerReadinessRoute = (strapi: Core.Strapi) => {
  strapi.server.routes([{ method: 'GET', path: READINESS_PATH, handler: readiness(strapi), config: { auth: false } }]);
};
