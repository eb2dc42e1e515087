/**
 * Lists of credits as announcements print them: "Name (Affiliation)" entries separated by
 * commas, semicolons, line breaks, "and", "&", bullets, or nothing but a space after the
 * closing bracket, in any mix. Separators count only outside brackets, so an affiliation may
 * hold commas, "and" and brackets of its own ("University of California, Los Angeles",
 * "Institute for Pure and Applied Mathematics (IPAM)").
 */

export interface ListLine {
  number: number;
  text: string;
}

export interface ListEntry {
  text: string;
  /** The line the entry starts on. */
  line: number;
}

export interface ListProblem {
  line: number;
  message: string;
}

const BULLET = /^(?:[-*•·–—]|\d{1,3}[.)])\s+/;
const SEPARATOR_CHARACTERS = new Set([',', ';', '•', '·']);

export const splitCreditList = (lines: ListLine[]): { entries: ListEntry[]; problems: ListProblem[] } => {
  const entries: ListEntry[] = [];
  const problems: ListProblem[] = [];
  let current = '';
  let startLine = 0;
  let depth = 0;
  let openedOn = 0;

  const flush = () => {
    const text = current.trim().replace(BULLET, '').replace(/\s+/g, ' ').trim();
    if (text) entries.push({ text, line: startLine });
    current = '';
  };
  const append = (character: string, line: number) => {
    if (!current.trim() && character.trim()) startLine = line;
    current += character;
  };

  for (const { number, text } of lines) {
    const line = text.replace(BULLET, '');
    for (let i = 0; i < line.length; i += 1) {
      const character = line[i];
      if (depth === 0) {
        if (SEPARATOR_CHARACTERS.has(character)) {
          flush();
          continue;
        }
        // "and" or "&" standing between entries (at the start of a word, followed by a space or the line's end).
        const conjunction = /^(?:and|&)(?=\s|$)/i.exec(line.slice(i));
        if (conjunction && (i === 0 || /\s/.test(line[i - 1]))) {
          flush();
          i += conjunction[0].length - 1;
          continue;
        }
      }
      if (character === '(') {
        if (depth === 0) openedOn = number;
        depth += 1;
      } else if (character === ')') {
        if (depth === 0) {
          problems.push({ line: number, message: 'a closing bracket ")" that no "(" opened' });
          continue;
        }
        depth -= 1;
        if (depth === 0) {
          // The credit is complete: whatever follows is the next one, separator or not.
          append(character, number);
          flush();
          continue;
        }
      }
      append(character, number);
    }
    if (depth === 0) flush();
    else append(' ', number);
  }
  if (depth > 0) {
    problems.push({ line: openedOn, message: `the bracket "(" opened here is never closed` });
    current = '';
  }
  flush();
  return { entries, problems };
};
