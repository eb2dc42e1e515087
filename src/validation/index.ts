import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { documentProblems, hasRules } from './other-rules';
import { loadWorkshopDraft, snapshotAffiliations, workshopProblems, type Problem } from './workshop-rules';

const WORKSHOP = 'api::workshop.workshop';
const SAVES = new Set(['create', 'update']);

const refuse = (problems: Problem[]) => {
  const summary = problems.map((problem) => problem.message).join(' ');
  throw new errors.ValidationError(problems.length === 1 ? summary : `${problems.length} problems: ${summary}`, {
    errors: problems.map(({ path, message }) => ({ path: path.map(String), message, name: 'ValidationError', value: null })),
  });
};

/**
 * Rules staff can act on, for the admin UI, REST, GraphQL and imports alike: each save runs in
 * a transaction, the saved draft is checked as a whole (whatever shape the request gave its
 * relations and components in), and a refused save is rolled back and answered with a 400 that
 * names each field. Publishing checks the draft it publishes.
 */
export const registerValidation = (strapi: Core.Strapi) => {
  const instituteZone = async () =>
    ((await strapi.db.query('api::institute.institute').findOne({ select: ['timezone'] })) as { timezone?: string } | null)?.timezone ||
    'America/Los_Angeles';

  const checkWorkshop = async (documentId: string) => {
    const draft = await loadWorkshopDraft(strapi, documentId);
    if (!draft) return;
    const problems = await workshopProblems(strapi, draft, await instituteZone());
    if (problems.length > 0) refuse(problems);
    await snapshotAffiliations(strapi, draft);
  };

  strapi.documents.use(async (context, next) => {
    if (context.uid === WORKSHOP && context.action === 'publish') {
      await checkWorkshop((context.params as { documentId: string }).documentId);
      return next();
    }
    if (!SAVES.has(context.action) || (context.uid !== WORKSHOP && !hasRules(context.uid))) return next();

    return strapi.db.transaction(async () => {
      const result = await next();
      const saved = result as { documentId: string } | null;
      if (!saved) return result;
      if (context.uid === WORKSHOP) await checkWorkshop(saved.documentId);
      else {
        const problems = documentProblems(context.uid, saved);
        if (problems.length > 0) refuse(problems);
      }
      return result;
    });
  });
};
