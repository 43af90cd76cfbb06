/** A message tree: strings, grouped by key. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

/**
 * The trees merged into one (the base messages and each page's own module). A string defined
 * twice is a mistake two modules would fight over, so it throws instead of one silently winning.
 */
export function mergeMessages(...trees: MessageTree[]): MessageTree {
  const out: MessageTree = {};
  const into = (target: MessageTree, source: MessageTree, path: string) => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (typeof value === 'string' || typeof existing === 'string') {
        if (existing !== undefined) throw new Error(`message ${path}${key} is defined twice`);
        target[key] = value;
      } else {
        const branch: MessageTree = existing ?? {};
        target[key] = branch;
        into(branch, value, `${path}${key}.`);
      }
    }
  };
  for (const tree of trees) into(out, tree, '');
  return out;
}

/** Every key path of a message tree with its value. */
export function leaves(tree: MessageTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
}
