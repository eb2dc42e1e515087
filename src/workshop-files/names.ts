import slugifyText from 'slugify';

/** "Xavier Bresson (National University of Singapore)" → name and what stands in brackets. */
export const splitCredit = (text: string): { name: string; bracketed?: string } | undefined => {
  const match = /^([^()]+?)\s*(?:\(([^()]+)\))?$/.exec(text.trim());
  if (!match) return undefined;
  const bracketed = match[2]?.trim();
  return { name: match[1].trim(), ...(bracketed ? { bracketed } : {}) };
};

/** Lower-case particles that belong to the family name: "Anatole von Lilienfeld" → "von Lilienfeld". */
const PARTICLES = new Set(['von', 'van', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ten', 'ter', 'zu']);

export const familyNameOf = (name: string): string => {
  const words = name.trim().split(/\s+/);
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1])) start -= 1;
  return words.slice(start).join(' ');
};

export const slugify = (text: string): string =>
  slugifyText(text, { lower: true, strict: true, locale: 'de', trim: true });
