import slugifyText from 'slugify';

/**
 * The one way a slug is made from a title or name, everywhere (saves through the Document
 * Service, the admin UI's slug field, imports, next editions): ASCII, lower case, German
 * transliteration ("Klaus-Robert Müller" → "klaus-robert-mueller").
 */
export const slugify = (text: string): string => slugifyText(text, { lower: true, strict: true, locale: 'de', trim: true });
