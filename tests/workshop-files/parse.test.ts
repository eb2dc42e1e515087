import fs from 'fs';
import path from 'path';
import { parseWorkshopFile } from '../../src/workshop-files/parse';
import { WorkshopFileError } from '../../src/workshop-files/errors';

const SEED = path.join(__dirname, '..', '..', 'database', 'seeds', 'workshops', '2023-learning-and-emergence-in-molecular-systems.yaml');

const problemsOf = (text: string) => {
  try {
    parseWorkshopFile(text, 'bad.yaml');
  } catch (error) {
    if (error instanceof WorkshopFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
};

const minimal = `title: A Workshop\nstartDate: 2024-03-04\nendDate: 2024-03-04\n`;

describe('workshop files', () => {
  it('reads the seed: people as "Name (Affiliation)", in order, with family names', () => {
    const workshop = parseWorkshopFile(fs.readFileSync(SEED, 'utf8'), 'seed.yaml');
    expect(workshop.organizers).toHaveLength(5);
    expect(workshop.speakers).toHaveLength(15);
    expect(workshop.speakers[13]).toEqual({ name: 'Anatole von Lilienfeld', familyName: 'von Lilienfeld', affiliation: 'University of Basel' });
    expect(workshop.speakers[6]).toEqual({ name: 'Klaus-Robert Müller', familyName: 'Müller', affiliation: 'TU Berlin' });
    expect(workshop.series?.sponsor).toEqual({ name: 'Julian Schwinger Foundation for Physics Research', acronym: 'JSF' });
    expect(workshop.overview).toHaveLength(4);
  });

  it('converts talk times from the workshop time zone to UTC', () => {
    const workshop = parseWorkshopFile(
      `${minimal}timezone: Europe/Berlin\ntalks:\n  - title: Opening\n    startsAt: 2024-03-04T09:00\n    endsAt: 2024-03-04T09:30\n`,
      'ok.yaml'
    );
    expect(workshop.talks[0]).toMatchObject({ startsAt: '2024-03-04T08:00:00Z', endsAt: '2024-03-04T08:30:00Z', kind: 'talk' });
  });

  it('names the file, the line, the field and the problem, for every problem at once', () => {
    const error = problemsOf(
      [
        'title: A Workshop',
        'startDate: 2024-03-05',
        'endDate: 2024-03-04',
        'registrationUrl: www.example.org',
        'speakers:',
        '  - Ada Lovelace (Analytical Engines',
        '  - Ada Lovelace (Analytical Engines)',
        '  - Ada Lovelace (Analytical Engines)',
        'colour: blue',
      ].join('\n')
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { field: 'endDate', line: 3, message: '2024-03-04 is before the start date 2024-03-05' },
        { field: 'registrationUrl', line: 4, message: expect.stringContaining('is not a web address') },
        { field: 'speakers[0]', line: 6, message: expect.stringContaining('is not written as "Name (Affiliation)"') },
        { field: 'speakers[2]', line: 8, message: 'Ada Lovelace is listed twice' },
        { field: 'colour', line: 9, message: expect.stringContaining('unknown field') },
      ])
    );
    expect(error.message).toContain('bad.yaml:3 endDate: 2024-03-04 is before the start date 2024-03-05');
  });

  it('refuses missing required fields, bad dates, time zones and talk kinds', () => {
    const error = problemsOf(
      ['startDate: 2024-02-30', 'endDate: 2024-03-01', 'timezone: Mars/Olympus', 'talks:', '  - title: Lunch', '    kind: lunch'].join('\n')
    );
    expect(error.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['title', 'startDate', 'timezone', 'talks[0].kind']));
  });

  it('refuses a talk outside the workshop or ending before it starts', () => {
    const error = problemsOf(
      `${minimal}talks:\n  - title: Late\n    startsAt: 2024-03-05T09:00\n  - title: Backwards\n    startsAt: 2024-03-04T10:00\n    endsAt: 2024-03-04T09:00\n`
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'talks[0].startsAt', message: expect.stringContaining("outside the workshop's dates") }),
        expect.objectContaining({ field: 'talks[1].endsAt', message: 'ends before it starts' }),
      ])
    );
  });

  it('refuses text that is not YAML, with its line', () => {
    const error = problemsOf('title: [unclosed\nstartDate: 2024-03-04\n');
    expect(error.problems[0]).toMatchObject({ message: expect.stringMatching(/^not valid YAML/) });
    expect(error.problems[0].line).toBeGreaterThan(0);
  });

  it('refuses one person credited with two affiliations in one file', () => {
    const error = problemsOf(`${minimal}organizers:\n  - Ada Lovelace (Cambridge)\nspeakers:\n  - Ada Lovelace (Oxford)\n`);
    expect(error.problems).toEqual([
      expect.objectContaining({ field: 'speakers[0]', line: 7, message: expect.stringContaining('"Oxford" here but "Cambridge" earlier') }),
    ]);
  });
});
