import fs from 'fs';
import path from 'path';
import { parseAnnouncement } from '../../src/announcements/parse';
import { readDateLine } from '../../src/announcements/date-line';
import { blocksToPlainText } from '../../src/workshop-files/blocks';
import { WorkshopFileError } from '../../src/workshop-files/errors';
import { parseWorkshopFile } from '../../src/workshop-files/parse';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'announcements');
const SEED = path.join(__dirname, '..', '..', 'database', 'seeds', 'workshops', '2023-learning-and-emergence-in-molecular-systems.yaml');
const DIVERSITY = FIRST_WORKSHOP.diversityStatement;

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const read = (text: string) => parseAnnouncement(text, 'announcement.txt', { diversityStatement: DIVERSITY });
const credits = (people: Array<{ name: string; affiliation?: string }>) => people.map((p) => `${p.name} (${p.affiliation})`);

const refusal = (text: string) => {
  try {
    read(text);
  } catch (error) {
    if (error instanceof WorkshopFileError) return error;
    throw error;
  }
  throw new Error('the announcement was accepted');
};

describe('date lines', () => {
  it.each([
    ['January 23 - 27, 2023', '2023-01-23', '2023-01-27'],
    ['January 30 - February 3, 2023', '2023-01-30', '2023-02-03'],
    ['December 30, 2024 - January 2, 2025', '2024-12-30', '2025-01-02'],
    ['March 5, 2024', '2024-03-05', '2024-03-05'],
    ['January 23 – 27, 2023', '2023-01-23', '2023-01-27'],
    ['January 23—27 2023', '2023-01-23', '2023-01-27'],
    ['Jan. 30 - Feb. 3, 2023', '2023-01-30', '2023-02-03'],
    ['Sept 9 to 13, 2024', '2024-09-09', '2024-09-13'],
    ['Monday, December 30 - Thursday, January 2, 2025', '2024-12-30', '2025-01-02'],
    ['23 - 27 January 2023', '2023-01-23', '2023-01-27'],
    ['May 1st - 3rd, 2024', '2024-05-01', '2024-05-03'],
    ['2024-03-05', '2024-03-05', '2024-03-05'],
  ])('reads "%s"', (line, startDate, endDate) => {
    expect(readDateLine(line)).toEqual({ startDate, endDate });
  });

  it.each([
    ['February 30 - March 2, 2024', 'the first day, February 30, 2024, is not a day of the calendar'],
    ['January 27 - 23, 2023', 'the last day (2023-01-23) is before the first (2023-01-27)'],
    ['January 23 - 27', 'has no year, e.g. "January 23 - 27, 2023"'],
    ['Janury 23 - 27, 2023', '"janury" is neither a month, a day nor a year'],
    ['January 23 - 27, 223', '"223" is neither a month, a day nor a year'],
    ['January 23 - 27, 2923', '2923 is not a plausible year (1950-2200)'],
    ['January 23 - 25 - 27, 2023', 'has more than one dash; write one range, e.g. "January 30 - February 3, 2023"'],
  ])('refuses "%s", saying why', (line, problem) => {
    expect(readDateLine(line)).toEqual({ problem });
  });
});

describe('announcements', () => {
  it('reads the first workshop\'s announcement into what its seed file holds', () => {
    const announced = read(fixture('first-workshop.txt'));
    const seed = parseWorkshopFile(fs.readFileSync(SEED, 'utf8'), 'seed.yaml');
    expect(announced.title).toBe(FIRST_WORKSHOP.title);
    expect([announced.startDate, announced.endDate]).toEqual(['2023-01-23', '2023-01-27']);
    // Word for word, paragraph by paragraph.
    expect(announced.overview).toEqual(seed.overview);
    expect(announced.participation).toEqual(seed.participation);
    expect(announced.summary).toBe(seed.summary);
    expect(announced.posterSession).toEqual(seed.posterSession);
    expect(announced.series).toEqual(seed.series);
    expect(announced.sponsors).toEqual(seed.sponsors);
    expect(announced.organizers).toEqual(seed.organizers);
    expect(announced.speakers).toEqual(seed.speakers);
    expect(credits(announced.speakers)).toEqual(FIRST_WORKSHOP.speakers);
    expect(credits(announced.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    // And nothing else differs: the time zone is the only field the seed gives and the announcement does not print.
    const { timezone, ...seedWithoutTimezone } = seed;
    expect(timezone).toBe('America/Los_Angeles');
    expect(announced).toEqual(seedWithoutTimezone);
  });

  it('reads a cross-month range, an upper-case heading with a colon, commas, semicolons, "and", "&", bullets and bare spaces, and affiliations with commas, "and" and brackets', () => {
    const announced = read(fixture('cross-month-mixed-separators.txt'));
    expect(announced).toMatchObject({ title: 'Optimal Transport and Mean-Field Games in the Sciences', startDate: '2023-01-30', endDate: '2023-02-03' });
    expect(credits(announced.organizers)).toEqual([
      'Wilfrid Gangbo (University of California, Los Angeles)',
      'Stanley Osher (Institute for Pure and Applied Mathematics (IPAM))',
      'Filippo Santambrogio (Université Claude Bernard Lyon 1)',
      'Cecilia Clementi (FU Berlin)',
    ]);
    expect(credits(announced.speakers)).toEqual([
      'Yann Brenier (CNRS and École Normale Supérieure)',
      'Pierre Cardaliaguet (Université Paris Dauphine)',
      'Cecilia Clementi (FU Berlin)',
      'Marco Cuturi (Apple and CREST, ENSAE)',
      'Wilfrid Gangbo (University of California, Los Angeles)',
      'Flavien Léger (INRIA Paris)',
      'Jean-David Benamou (INRIA Paris)',
      'Anatole von Lilienfeld (University of Basel)',
    ]);
    expect(announced.speakers.at(-1)?.familyName).toBe('von Lilienfeld');
    // Lines of a paragraph are joined; paragraphs stay paragraphs.
    expect(blocksToPlainText(announced.overview).split('\n\n')).toEqual([
      'Optimal transport studies the cheapest way to move one distribution of mass onto another. Mean-field games describe the limit of many interacting rational agents.',
      'This workshop will bring together mathematicians, economists and physicists working on both theories and on their numerical methods.',
      'This workshop will include a poster session: posters on applications are especially welcome.',
    ]);
    expect(announced.summary).toBe('This workshop will bring together mathematicians, economists and physicists working on both theories and on their numerical methods.');
    expect(announced.posterSession).toEqual({ enabled: true, details: 'Posters on applications are especially welcome.' });
    expect(announced.registrationUrl).toBe('https://www.ipam.ucla.edu/programs/workshops/otmfg2023/register');
    expect(blocksToPlainText(announced.participation)).not.toContain('Encouraging the careers');
    expect(announced.series).toBeUndefined();
  });

  it('reads CRLF, trailing spaces, abbreviated months with weekdays across a year, a list on its heading\'s line, a heading in lower case and sections in another order', () => {
    const announced = read(fixture('year-boundary-crlf.txt'));
    expect(announced).toMatchObject({ title: 'Winter School on Quantum Many-Body Methods', startDate: '2024-12-30', endDate: '2025-01-02' });
    expect(credits(announced.speakers)).toEqual(['Garnet Chan (Caltech)', 'Tess Smidt (MIT)', 'Shiwei Zhang (Flatiron Institute, Simons Foundation)']);
    expect(credits(announced.organizers)).toEqual(['Jutta Rogal (NYU)']);
    expect(blocksToPlainText(announced.overview)).toBe('Quantum many-body methods are the workhorse of computational chemistry and condensed matter physics.');
    expect(announced.series).toMatchObject({ name: 'Julian Schwinger Workshop on Multiscale Physics', sponsor: { name: 'Julian Schwinger Foundation for Physics Research', acronym: 'JSF' } });
    expect(announced.participation).toBeUndefined();
    expect(announced.posterSession).toBeUndefined();
  });

  it('reads a single day, a title and date on consecutive lines, a sponsors list, and no Participation section', () => {
    const announced = read(fixture('single-day.txt'));
    expect(announced).toMatchObject({ title: 'Scientific Machine Learning Day', startDate: '2024-03-05', endDate: '2024-03-05' });
    expect(announced.sponsors).toEqual([{ name: 'National Science Foundation', acronym: 'NSF' }, { name: 'Simons Foundation' }]);
    expect(credits(announced.speakers)).toEqual(['Frank Noe (FU Berlin)', 'Kristin Persson (UC Berkeley)', 'Ron Dror (Stanford)', 'Max Welling (Microsoft Research)']);
    expect(announced.summary).toMatch(/^A one-day meeting/);
  });

  it('wraps a long title over two lines, and takes the overview from text without a heading', () => {
    const announced = read('Workshop I: Mathematical Foundations of\nMachine Learning for Molecules\nApril 8 - 12, 2024\n\nWhat we will do.\n\nSpeakers\nTess Smidt (MIT)\n');
    expect(announced.title).toBe('Workshop I: Mathematical Foundations of Machine Learning for Molecules');
    expect(blocksToPlainText(announced.overview)).toBe('What we will do.');
  });

  it('refuses a text it cannot read whole, with every line and what is wrong with it', () => {
    const error = refusal(fixture('bad-lines.txt'));
    expect(error.problems).toEqual([
      { line: 3, field: 'dates', message: '"February 30 - March 2, 2024" the first day, February 30, 2024, is not a day of the calendar' },
      { line: 9, field: 'Schedule', message: 'this section cannot be read from an announcement: remove it, and add what it says in the admin UI after the import' },
      { line: 15, field: 'Organizers', message: '"Cecilia Clementi" is not written as "Name (Affiliation)", e.g. "Cecilia Clementi (FU Berlin)"' },
      { line: 19, field: 'Speakers', message: 'the bracket "(" opened here is never closed' },
    ]);
    expect(error.message).toContain('announcement.txt:15 Organizers: "Cecilia Clementi" is not written as "Name (Affiliation)"');
  });

  it('refuses a missing date line, a person listed twice or with two affiliations, an unknown heading and an empty text', () => {
    expect(refusal(fixture('no-dates.txt')).problems).toEqual([
      { line: 3, field: 'dates', message: 'expected the workshop\'s dates on the line after the title, e.g. "January 23 - 27, 2023" or "March 5, 2024"; found none before the first section heading' },
    ]);
    const twice = refusal('T\nMay 6, 2024\n\nOrganizers\nTess Smidt (MIT)\n\nSpeakers\nTess Smidt (Harvard), Ron Dror (Stanford)\nRon Dror (Stanford)\n\nImportant Dates\n\nSoon.\n');
    expect(twice.problems).toEqual([
      { line: 8, field: 'Speakers', message: 'Tess Smidt is credited with "Harvard" here but "MIT" earlier' },
      { line: 9, field: 'Speakers', message: 'Ron Dror is listed twice' },
      { line: 11, field: 'Speakers', message: expect.stringContaining('"Important Dates" is not written as "Name (Affiliation)", e.g. "Cecilia Clementi (FU Berlin)" (or, if it is a section heading, it is not one this reader knows') },
      { line: 13, field: 'Speakers', message: expect.stringContaining('"Soon." is not written as "Name (Affiliation)"') },
    ]);
    expect(refusal('A Title\n\nA subtitle that is not a date\nMay 6, 2024\n').problems).toEqual([
      { line: 3, field: 'dates', message: 'expected the workshop\'s dates after the title, e.g. "January 23 - 27, 2023"; found "A subtitle that is not a date" (the date line is line 4)' },
    ]);
    expect(refusal(' \n\n').message).toBe('announcement.txt cannot be imported:\n  announcement.txt: is empty: paste the announcement, starting with its title line and its date line');
  });
});
