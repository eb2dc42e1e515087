import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { readInstituteTimezone } from '../workshops/timezone';
import { showWrittenLabels, writeParticipantLabels } from '../participant-labels';
import { mediaProblems } from './media-rules';
import { documentProblems, hasRules } from './other-rules';
import { loadWorkshop, snapshotAffiliations, workshopProblems, type Problem } from './workshop-rules';

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

  /** Affiliation snapshots and row labels, written on one version of a saved workshop. */
  const completeParticipants = async (workshop: Awaited<ReturnType<typeof loadWorkshop>> & object) => {
    await snapshotAffiliations(strapi, workshop);
    const participants = [...workshop.organizers, ...workshop.speakers];
    await writeParticipantLabels(strapi, participants);
    return participants;
  };

  const checkWorkshop = async (documentId: string) => {
    const draft = await loadWorkshop(strapi, documentId);
    if (!draft) return;
    const problems = await workshopProblems(strapi, draft, await readInstituteTimezone(strapi));
    if (problems.length > 0) refuse(problems);
    return completeParticipants(draft);
  };

  strapi.documents.use(async (context, next) => {
    if (context.uid === WORKSHOP && context.action === 'publish') {
      await checkWorkshop((context.params as { documentId: string }).documentId);
      return next();
    }
    if (!SAVES.has(context.action) || (context.uid !== WORKSHOP && !hasRules(context.uid))) return next();

    return strapi.db.transaction(async () => {
      const result = await next();
      const saved = result as { id?: number; documentId: string } | null;
      if (!saved) return result;
      if (context.uid === WORKSHOP) {
        let participants = await checkWorkshop(saved.documentId);
        // A save with status published has published the draft already, past this middleware,
        // before its rows were completed: complete the published copy too (it is what it returns).
        const published = (context.params as { status?: string }).status === 'published' && (await loadWorkshop(strapi, saved.documentId, 'published'));
        if (published) participants = await completeParticipants(published);
        if (participants) showWrittenLabels(saved, participants);
      } else {
        const problems = [...documentProblems(context.uid, saved), ...(await mediaProblems(strapi, context.uid, saved))];
        if (problems.length > 0) refuse(problems);
      }
      return result;
    });
  });
};
