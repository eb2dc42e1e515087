import type { Core } from '@strapi/strapi';

/**
 * The `label` of each organizer and speaker row (component workshop.participant): the row as the
 * institute prints it, "Xavier Bresson (National University of Singapore)", which the content
 * manager shows on the collapsed row (the component's mainField). Strapi can only title a row by
 * one of its own text fields, and a participant's fields are relations, hence a stored copy,
 * kept by the server:
 * - every workshop save writes the labels of its rows (src/validation, after the affiliation
 *   snapshot, in the save's transaction);
 * - a person's or an organization's rename rewrites the labels that print it (a rename is the
 *   same person or institution under its new name, as `ComponentWorkshopParticipant.credit`
 *   prints it), while a person's move changes none (the row keeps its affiliation);
 * - rows saved before labels existed are labelled at start-up.
 * The label is private: front ends read `credit`, the same text.
 */
const PARTICIPANT = 'workshop.participant';
/** What a row shows when its person was deleted: a save of that workshop asks for one. */
export const NO_PERSON_LABEL = 'No person: choose one, or remove this row';
/** Ids per UPDATE, well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_STATEMENT = 500;

type Named = { name?: string | null } | null | undefined;
export type LabelledParticipant = { id: number; label?: string | null; person?: Named; affiliation?: Named };

/** A person as printed with an affiliation: "Name (Affiliation)", or the name alone without one. */
export const printedCredit = (personName: string, affiliationName?: string | null) =>
  affiliationName ? `${personName} (${affiliationName})` : personName;

export const participantLabel = ({ person, affiliation }: LabelledParticipant) =>
  person?.name ? printedCredit(person.name, affiliation?.name) : NO_PERSON_LABEL;

/**
 * Writes the label of every given row whose stored label differs, in one statement per
 * distinct label (a row of each of a person's workshops, draft and published, share one).
 * Rows must come with their person's and affiliation's names.
 */
export const writeParticipantLabels = async (strapi: Core.Strapi, participants: LabelledParticipant[]) => {
  const idsByLabel = new Map<string, number[]>();
  for (const participant of participants) {
    const label = participantLabel(participant);
    if (participant.label === label) continue;
    idsByLabel.set(label, [...(idsByLabel.get(label) ?? []), participant.id]);
  }
  for (const [label, ids] of idsByLabel) {
    for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
      await strapi.db.query(PARTICIPANT).updateMany({ where: { id: { $in: ids.slice(start, start + IDS_PER_STATEMENT) } }, data: { label } });
    }
  }
  return [...idsByLabel.values()].reduce((count, ids) => count + ids.length, 0);
};

/**
 * Puts the labels just written on the document a save returns, which the Document Service read
 * before they were (the admin UI shows a new row's label from it right after the save).
 */
export const showWrittenLabels = (saved: Record<string, unknown>, participants: LabelledParticipant[]) => {
  const labels = new Map(participants.map((participant) => [participant.id, participantLabel(participant)]));
  for (const list of ['organizers', 'speakers']) {
    const rows = saved[list];
    if (!Array.isArray(rows)) continue;
    for (const row of rows as LabelledParticipant[]) if (labels.has(row.id)) row.label = labels.get(row.id);
  }
};

/** Recomputes the labels of the rows `where` selects (a query on the participant component). */
export const relabelParticipants = async (strapi: Core.Strapi, where: Record<string, unknown>) => {
  const participants = (await strapi.db.query(PARTICIPANT).findMany({
    where,
    select: ['id', 'label'],
    populate: { person: { select: ['name'] }, affiliation: { select: ['name'] } },
  })) as LabelledParticipant[];
  return writeParticipantLabels(strapi, participants);
};

/** How a participant row links to the documents whose name its label prints. */
const PRINTED_NAMES: Record<string, 'person' | 'affiliation'> = {
  'api::person.person': 'person',
  'api::organization.organization': 'affiliation',
};

/**
 * Keeps labels in step with the names they print: after a person or organization is renamed,
 * and after one is deleted (its rows then show no person, or no affiliation), in the same
 * transaction as the change.
 */
export const registerParticipantLabels = (strapi: Core.Strapi) => {
  strapi.documents.use(async (context, next) => {
    const link = PRINTED_NAMES[context.uid];
    const params = context.params as { documentId?: string; data?: { name?: unknown } };
    if (!link || !params.documentId) return next();
    const printed = { [link]: { documentId: params.documentId } };

    if (context.action === 'update' && params.data?.name !== undefined) {
      return strapi.db.transaction(async () => {
        const result = await next();
        await relabelParticipants(strapi, printed);
        return result;
      });
    }
    if (context.action === 'delete') {
      return strapi.db.transaction(async () => {
        const rows = (await strapi.db.query(PARTICIPANT).findMany({ where: printed, select: ['id'] })) as Array<{ id: number }>;
        const result = await next();
        if (rows.length > 0) await relabelParticipants(strapi, { id: { $in: rows.map(({ id }) => id) } });
        return result;
      });
    }
    return next();
  });
};

/**
 * Labels the rows that have none (saved before labels existed, or written past the Document
 * Service): at every start, one query that finds nothing once every row is labelled.
 */
export const labelUnlabelledParticipants = async (strapi: Core.Strapi) => {
  const labelled = await relabelParticipants(strapi, { label: { $null: true } });
  if (labelled > 0) strapi.log.info(`Labelled ${labelled} organizer and speaker row(s) as the institute prints them.`);
  return labelled;
};
