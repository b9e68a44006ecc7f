/** A rendered node of any kind, as far as text goes. */
interface TextNode {
  nodeType: string;
  text?: string | null;
  props?: object;
  childNodes?: readonly TextNode[];
}

/** All text under a rendered node, fragment props (overlays) included, joined by spaces. */
export function textOf(node: object): string {
  const n = node as TextNode;
  if (n.nodeType === 'text') return n.text ?? '';
  const parts: string[] = [];
  for (const value of Object.values(n.props ?? {})) {
    if (value && typeof value === 'object' && (value as TextNode).nodeType === 'fragment') parts.push(textOf(value));
  }
  for (const child of n.childNodes ?? []) parts.push(textOf(child));
  return parts.filter(Boolean).join(' ');
}

/**
 * Fires an input's onChange with a value. The 0.17 testing types declare `trigger`'s argument
 * as the handler itself rather than the handler's argument; at run time the value is passed on.
 */
export function change(node: { trigger: (...args: never[]) => void }, value: unknown): void {
  (node.trigger as unknown as (event: string, arg: unknown) => void)('onChange', value);
}
