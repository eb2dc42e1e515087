import { errors } from '@strapi/utils';

export interface FileProblem {
  /** Where in the file, e.g. `speakers[3]`; empty for the file as a whole. */
  field: string;
  line?: number;
  message: string;
}

/**
 * A workshop file that cannot be imported. It is a Strapi ValidationError, so REST and
 * GraphQL callers get a 400; the message names the file, the line, the field and the problem.
 */
export class WorkshopFileError extends errors.ValidationError {
  readonly fileName: string;
  readonly problems: FileProblem[];

  constructor(fileName: string, problems: FileProblem[]) {
    const lines = problems.map((p) => `  ${describeLocation(fileName, p)}: ${p.message}`);
    super(`${fileName} cannot be imported:\n${lines.join('\n')}`, { fileName, problems });
    this.fileName = fileName;
    this.problems = problems;
  }
}

const describeLocation = (fileName: string, { field, line }: FileProblem) =>
  [line ? `${fileName}:${line}` : fileName, field].filter(Boolean).join(' ');
