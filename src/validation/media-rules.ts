import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { IMAGE_TYPES } from '../media/upload-limits';
import type { Problem } from './workshop-rules';

type File = { id: number; name: string; mime: string | null; width: number | null; height: number | null; alternativeText: string | null };

/** The public images of our types: shown to everyone, so each must be an image with alternative text. */
export const PUBLIC_IMAGES: Record<string, { field: string; what: string }> = {
  'api::person.person': { field: 'photo', what: 'portrait' },
  'api::sponsor.sponsor': { field: 'logo', what: 'logo' },
};
const FILE = 'plugin::upload.file';

const hasText = (value: unknown) => typeof value === 'string' && value.trim().length > 0;
const imageTypesText = 'JPEG, PNG, WebP or GIF';

/** What is wrong with the image a saved person or sponsor shows (none when it shows none). */
export const mediaProblems = async (strapi: Core.Strapi, uid: string, saved: { id?: number }): Promise<Problem[]> => {
  const image = PUBLIC_IMAGES[uid];
  if (!image || saved.id === undefined) return [];
  const row = await strapi.db.query(uid as never).findOne({
    where: { id: saved.id },
    select: ['id'],
    populate: { [image.field]: { select: ['id', 'name', 'mime', 'width', 'height', 'alternativeText'] } },
  });
  const file = row?.[image.field] as File | null | undefined;
  if (!file) return [];
  // The upload plugin takes images only (config/plugins.ts), but a file may predate that rule
  // or come from another provider: the schema's allowedTypes is enforced by the admin UI alone.
  if (!file.mime || !IMAGE_TYPES.includes(file.mime)) {
    return [{ path: [image.field], message: `"${file.name}" is not an image (${file.mime ?? 'unknown type'}): a ${image.what} must be a ${imageTypesText} image.` }];
  }
  // Strapi trusts a file's extension when it cannot tell its type from its bytes (text named
  // .png): it stores it without a size, having read no image in it.
  if (!file.width || !file.height) {
    return [{ path: [image.field], message: `"${file.name}" is not an image Strapi could read (it has no size): upload the ${image.what} again as a ${imageTypesText} image.` }];
  }
  if (!hasText(file.alternativeText)) {
    return [
      {
        path: [image.field],
        message:
          `The image "${file.name}" has no alternative text, which screen readers and search engines read in its place: ` +
          `set it (the pencil on the image, or the Media Library), e.g. "${image.what === 'portrait' ? 'Portrait of Frank Noe' : 'Logo of the Julian Schwinger Foundation'}", then save again.`,
      },
    ];
  }
  return [];
};

/**
 * The other side of mediaProblems: the alternative text of a file that a person or sponsor shows
 * cannot be cleared in the Media Library (nor through the upload API), or the public image would
 * lose it behind the document's back. Files are not documents of the Document Service: this is a
 * database lifecycle, which the upload plugin's updates go through.
 */
export const registerFileRules = (strapi: Core.Strapi) => {
  strapi.db.lifecycles.subscribe({
    models: [FILE],
    async beforeUpdate(event) {
      const { data, where } = event.params as { data?: Record<string, unknown>; where?: { id?: unknown } };
      const id = Number(where?.id);
      // Undefined leaves the column as it is (a replaced file's bytes without new details).
      if (!data || data.alternativeText === undefined || hasText(data.alternativeText) || !Number.isInteger(id)) return;
      const shownBy = await strapi.db.query(FILE).findOne({ where: { id }, select: ['id', 'name'], populate: { related: true } });
      const users = ((shownBy?.related ?? []) as Array<{ __type: string; name?: string }>).filter(({ __type }) => __type in PUBLIC_IMAGES);
      if (users.length === 0) return;
      const names = users.map((user) => `${PUBLIC_IMAGES[user.__type].what} of ${user.name ?? 'a document'}`).join(', ');
      throw new errors.ValidationError(`"${shownBy.name}" is the ${names}: a public image keeps its alternative text. Write a new one rather than clearing it.`, {
        errors: [{ path: ['alternativeText'], message: 'A public image needs alternative text.', name: 'ValidationError', value: null }],
      });
    },
  });
};
