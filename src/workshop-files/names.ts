/**
 * "Xavier Bresson (National University of Singapore)" → name and what stands in brackets. The
 * brackets may hold brackets of their own ("Jane Doe (Institute for Pure and Applied Mathematics
 * (IPAM))"); undefined when they do not pair up or text follows them.
 */
export const splitCredit = (text: string): { name: string; bracketed?: string } | undefined => {
  const trimmed = text.trim();
  const open = trimmed.indexOf('(');
  if (open === -1) return trimmed && !trimmed.includes(')') ? { name: trimmed } : undefined;
  if (closingBracket(trimmed, open) !== trimmed.length - 1) return undefined;
  const name = trimmed.slice(0, open).trim();
  const bracketed = trimmed.slice(open + 1, -1).trim();
  if (!name || name.includes(')')) return undefined;
  return { name, ...(bracketed ? { bracketed } : {}) };
};

/** Index of the bracket that closes the one at `open`, or -1 when it is never closed. */
export const closingBracket = (text: string, open: number): number => {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
};

/** Lower-case particles that belong to the family name: "Anatole von Lilienfeld" → "von Lilienfeld". */
const PARTICLES = new Set(['von', 'van', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'ten', 'ter', 'zu']);

export const familyNameOf = (name: string): string => {
  const words = name.trim().split(/\s+/);
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1])) start -= 1;
  return words.slice(start).join(' ');
};
