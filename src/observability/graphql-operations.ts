import fs from 'fs';
import path from 'path';
import { parse } from 'graphql';

/** The label of every GraphQL operation that is not one of the contract's. */
export const OTHER_OPERATION = 'other';

/**
 * The names of the operations front ends send: those of docs/graphql/contract/ (DESIGN.md's
 * public contract). Only these become label values, so that no client can make up new series.
 */
export const contractOperationNames = (contractDir: string): Set<string> => {
  const names = new Set<string>();
  for (const file of fs.readdirSync(contractDir).filter((name) => name.endsWith('.graphql'))) {
    for (const definition of parse(fs.readFileSync(path.join(contractDir, file), 'utf8')).definitions) {
      if (definition.kind === 'OperationDefinition' && definition.name) names.add(definition.name.value);
    }
  }
  return names;
};

/** The first operation a document names (enough for a label: a wrong guess can only be "other"). */
const FIRST_OPERATION = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

interface GraphqlParameters {
  query?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/**
 * The operation a GraphQL request (GET query string or POST body) asks for, as a label: a
 * contract operation's name, or "other"; undefined when the request carries no operation
 * (the sandbox page, a body never read because the request was refused before).
 */
export const operationLabelOf = (parameters: unknown, known: Set<string>): string | undefined => {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return undefined;
  const { query, operationName, extensions } = parameters as GraphqlParameters;
  if (typeof query !== 'string' && extensions === undefined) return undefined;
  const name = typeof operationName === 'string' && operationName ? operationName : typeof query === 'string' ? FIRST_OPERATION.exec(query)?.[1] : undefined;
  return name !== undefined && known.has(name) ? name : OTHER_OPERATION;
};
