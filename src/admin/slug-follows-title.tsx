import { useEffect, useRef } from 'react';
import { useFetchClient, useForm } from '@strapi/strapi/admin';

/** The field each type's slug is made from: the slug's `targetField` in its schema.json. */
const SLUG_SOURCES: Record<string, string> = {
  'api::workshop.workshop': 'title',
  'api::person.person': 'name',
  'api::organization.organization': 'name',
  'api::sponsor.sponsor': 'name',
  'api::workshop-series.workshop-series': 'name',
};
const FOLLOW_AFTER_MS = 250;

interface HeaderActionProps {
  model: string;
  documentId?: string;
}

/**
 * While a document is created, its slug follows the title (or name) as it is typed, made by the
 * server as a save would make it (src/slugs/content-manager-uid.ts: our transliteration, a
 * suffix when taken), until staff write a slug of their own. Strapi 5's slug field fills itself
 * once, from whatever title there is when its answer comes, then only offers "Regenerate". A
 * header action of the edit view because that is a public place inside the edit form; it shows
 * nothing.
 */
export const SlugFollowsTitle = ({ model, documentId }: HeaderActionProps) => {
  const source = SLUG_SOURCES[model];
  const creating = !documentId || documentId === 'create';
  const title = useForm('SlugFollowsTitle', (form) => (source ? (form.values as Record<string, unknown>)[source] : undefined));
  const slug = useForm('SlugFollowsTitle', (form) => (form.values as Record<string, unknown>).slug);
  const onChange = useForm('SlugFollowsTitle', (form) => form.onChange);
  const { post } = useFetchClient();
  // Values also come from Strapi's field (its default, "Regenerate"), made as ours are: a slug is
  // staff's own when it was changed while its field had the focus, until they empty it.
  const typedByStaff = useRef(false);
  useEffect(() => {
    if (document.activeElement?.getAttribute('name') === 'slug') typedByStaff.current = typeof slug === 'string' && slug !== '';
  }, [slug]);

  useEffect(() => {
    if (!source || !creating || typedByStaff.current) return;
    if (typeof title !== 'string' || title.trim() === '') {
      // Nothing to make a slug from: no placeholder either.
      if (slug) onChange('slug', '');
      return;
    }
    const timer = setTimeout(async () => {
      const body = { contentTypeUID: model, field: 'slug', data: { id: '', [source]: title } };
      const { data } = await post<{ data: string }>('/content-manager/uid/generate', body).catch(() => ({ data: undefined }));
      // Staff may have typed a slug of their own meanwhile: theirs stays.
      if (data !== undefined && !typedByStaff.current) onChange('slug', data.data);
    }, FOLLOW_AFTER_MS);
    return () => clearTimeout(timer);
    // Runs when the title changes; the slug it replaces does not matter.
  }, [title, source, creating, model]);

  return null;
};
