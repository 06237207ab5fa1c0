/**
 * Text every layer can hold. PostgreSQL's text and jsonb refuse NUL (U+0000), and an unpaired
 * UTF-16 surrogate is not Unicode at all (jsonb refuses its escape; UTF-8 encoders silently
 * replace it). Both are refused at the edge — JSON bodies, query strings, CSV cells — with a
 * 400 naming the field, instead of failing deep in a query with a 500.
 *
 * Pure and shared: the server's input guard, the CSV import and (for the lead to wire) the
 * live-document validators use the same rule.
 */

export type UnsafeText = 'nul' | 'lone-surrogate';

/** With the `u` flag a valid surrogate pair is one code point, so `\p{Cs}` matches only lone halves. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this rule looks for.
const UNSAFE = /[\u0000\p{Cs}]/u;
/** A cheaper first look (no `u` flag): most text has neither NUL nor any surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this rule looks for.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

export function unsafeTextIn(s: string): UnsafeText | null {
  if (!SUSPECT.test(s)) return null;
  const m = UNSAFE.exec(s);
  if (!m) return null;
  return m[0] === '\u0000' ? 'nul' : 'lone-surrogate';
}

export function isSafeText(s: string): boolean {
  return unsafeTextIn(s) === null;
}

export const UNSAFE_TEXT_MESSAGE: Record<UnsafeText, string> = {
  nul: 'must not contain the NUL character (U+0000)',
  'lone-surrogate': 'must be valid Unicode text (it holds an unpaired surrogate)',
};

export interface UnsafeTextFound {
  /** Where: object keys and array indexes from the root, e.g. ['items', '0', 'description']. */
  path: string[];
  problem: UnsafeText;
}

/**
 * The first string (value or object key) in a parsed JSON value that is not safe text, or null.
 * Iterative, so a deeply nested document cannot overflow the stack; linear in the value's size
 * (which the body limit bounds).
 */
export function findUnsafeText(root: unknown): UnsafeTextFound | null {
  // Each entry links to its parent, so the path is built only for the value found (copying
  // paths on the way down would cost depth² on a deeply nested body).
  interface Node {
    value: unknown;
    key: string | null;
    parent: Node | null;
  }
  const pathOf = (node: Node | null, last?: string): string[] => {
    const out: string[] = last === undefined ? [] : [last];
    for (let n = node; n && n.key !== null; n = n.parent) out.push(n.key);
    return out.reverse();
  };
  if (typeof root === 'string') {
    const problem = unsafeTextIn(root);
    return problem ? { path: [], problem } : null;
  }
  // Only containers are pushed; strings are checked where they are met.
  const stack: Node[] = [{ value: root, key: null, parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child === 'string') {
          const problem = unsafeTextIn(child);
          if (problem) return { path: pathOf(node, String(i)), problem };
        } else if (typeof child === 'object' && child !== null) stack.push({ value: child, key: String(i), parent: node });
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) {
        const keyProblem = unsafeTextIn(key);
        if (keyProblem) return { path: pathOf(node, key), problem: keyProblem };
        const child: unknown = (value as Record<string, unknown>)[key];
        if (typeof child === 'string') {
          const problem = unsafeTextIn(child);
          if (problem) return { path: pathOf(node, key), problem };
        } else if (typeof child === 'object' && child !== null) stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

/** A field path for an error message: unsafe characters in keys shown as U+FFFD. */
export function fieldName(path: readonly string[]): string {
  return path.map((p) => p.replace(new RegExp(UNSAFE.source, 'gu'), '\uFFFD')).join('.');
}
