/**
 * Rich text in workshop files is plain text with blank lines between paragraphs; in Strapi it
 * is a "blocks" field. Anything richer than plain paragraphs is exported as the blocks JSON
 * itself, so a round trip never loses formatting.
 */
export type TextNode = { type: 'text'; text: string; [mark: string]: unknown };
export type Block = { type: string; children: Array<TextNode | Block | Record<string, unknown>>; [key: string]: unknown };

export const paragraphsToBlocks = (text: string): Block[] =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .map((paragraph) => ({ type: 'paragraph', children: [{ type: 'text', text: paragraph }] }));

const isPlainParagraph = (block: Block) =>
  block.type === 'paragraph' &&
  block.children.length === 1 &&
  Object.keys(block.children[0]).every((key) => key === 'type' || key === 'text') &&
  block.children[0].type === 'text';

/** Plain paragraphs become text again; anything else stays blocks. */
export const blocksToText = (blocks: Block[]): string | Block[] =>
  blocks.every(isPlainParagraph)
    ? blocks.map((block) => (block.children[0] as TextNode).text).join('\n\n') + '\n'
    : blocks;

export const blocksToPlainText = (blocks: Block[] | null | undefined): string =>
  (blocks ?? []).map(function textOf(node: Block | TextNode | Record<string, unknown>): string {
    if (typeof node.text === 'string') return node.text;
    return Array.isArray(node.children) ? node.children.map(textOf).join('') : '';
  }).join('\n\n');
