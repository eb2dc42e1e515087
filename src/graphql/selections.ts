import { getNamedType, isObjectType, Kind, type FieldNode, type GraphQLNamedType, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { constant, type AttributeSelection, type RelationTree } from '../database/relation-tree';

type Fragments = GraphQLResolveInfo['fragments'];

/** The fields that selection sets select, through fragments and inline fragments: each occurrence, by field name. */
export const fieldsSelected = (selectionSets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> => {
  const fields = new Map<string, FieldNode[]>();
  const collect = ({ selections }: SelectionSetNode) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) fields.set(selection.name.value, [...(fields.get(selection.name.value) ?? []), selection]);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (fragments[selection.name.value]) collect(fragments[selection.name.value].selectionSet);
    }
  };
  selectionSets.forEach(collect);
  return fields;
};

/**
 * What the fields our resolvers compute read of their row, beyond what a query selects: by GraphQL
 * type and field, the attributes they read at each place below the row ('' the row itself, '*'
 * every attribute). A computed field that reads an attribute not listed here finds it missing when its
 * row was loaded with attributesAsked.
 */
export type FieldReads = Record<string, Record<string, AttributeSelection>>;

const placeOf = (path: string, field: string) => (path ? `${path}.${field}` : field);

/**
 * The attributes that selection sets (of `type`) read of their rows, at every place of `tree`
 * (the relations loaded with them): the fields they select there, and what the computed fields
 * they select read (`reads`). Places of the tree the selections do not reach load only ids.
 * Directives are ignored: a field under @skip is loaded all the same.
 */
export const attributesSelected = (
  type: GraphQLNamedType,
  selectionSets: readonly SelectionSetNode[],
  fragments: Fragments,
  tree: RelationTree,
  reads: FieldReads
): AttributeSelection => {
  const asked = new Map<string, Set<string>>();
  const add = (place: string, attributes: readonly string[]) => {
    let set = asked.get(place);
    if (!set) asked.set(place, (set = new Set()));
    for (const attribute of attributes) set.add(attribute);
  };
  const everyPlace = (subtree: RelationTree, path: string) => {
    add(path, []);
    for (const [field, below] of Object.entries(subtree)) everyPlace(below, placeOf(path, field));
  };
  const visit = (type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], subtree: RelationTree, path: string) => {
    for (const [name, nodes] of fieldsSelected(selectionSets, fragments)) {
      add(path, [name]);
      for (const [below, attributes] of Object.entries(reads[type.name]?.[name] ?? {})) add(below ? placeOf(path, below) : path, attributes);
      // With arguments, Strapi's own resolver loads a relation (see batchedRelationResolvers).
      const sets = nodes.flatMap(({ selectionSet, arguments: args }) => (selectionSet && !args?.length ? [selectionSet] : []));
      const target = getNamedType(type.getFields()[name]?.type);
      if (subtree[name] && sets.length > 0 && isObjectType(target)) visit(target, sets, subtree[name], placeOf(path, name));
    }
  };
  everyPlace(tree, '');
  if (isObjectType(type)) visit(type, selectionSets, tree, '');
  return Object.fromEntries([...asked].map(([place, attributes]) => [place, [...attributes].sort()]));
};

/** What the query reads under the field being resolved (see attributesSelected). */
const attributesAsked = (info: GraphQLResolveInfo, tree: RelationTree, reads: FieldReads): AttributeSelection =>
  attributesSelected(getNamedType(info.returnType), info.fieldNodes.flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : [])), info.fragments, tree, reads);

/** Per place in a document (its first field node) and tree: attributesAsked. */
const askedAt = new WeakMap<FieldNode, WeakMap<RelationTree, AttributeSelection>>();

/** attributesAsked, computed once per document. */
export const attributesAskedBelow = (info: GraphQLResolveInfo, tree: RelationTree, reads: FieldReads): AttributeSelection => {
  let byTree = askedAt.get(info.fieldNodes[0]);
  if (!byTree) askedAt.set(info.fieldNodes[0], (byTree = new WeakMap()));
  let attributes = byTree.get(tree);
  if (!attributes) byTree.set(tree, (attributes = constant(attributesAsked(info, tree, reads))));
  return attributes;
};
