/**
 * Every message the client shows has a Simplified Chinese translation with
 * the same placeholders, and every msg() call carries an explicit id (the
 * hand-written locale modules are keyed by id). Static: no browser needed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templates } from '../../client/src/locales/zh-CN.ts';

const CLIENT_SRC = 'client/src';
const MSG_CALL = /\bmsg\(/g;
const MSG_WITH_ID = /\bmsg\(\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')\s*,\s*\{\s*id:\s*'([^']+)'\s*,?\s*\}\s*,?\s*\)/gs;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface SourceMessage {
  file: string;
  placeholders: number;
}

function collect(): { messages: Map<string, SourceMessage>; withoutId: string[] } {
  const messages = new Map<string, SourceMessage>();
  const withoutId: string[] = [];
  for (const file of sourceFiles(CLIENT_SRC)) {
    const text = readFileSync(file, 'utf8');
    const calls = text.match(MSG_CALL)?.length ?? 0;
    const found = [...text.matchAll(MSG_WITH_ID)];
    if (found.length !== calls) withoutId.push(`${file}: ${calls - found.length} msg() call(s) without an explicit id`);
    for (const [, source, id] of found) {
      const placeholders = source!.startsWith('str`') ? (source!.match(/\$\{/g)?.length ?? 0) : 0;
      const seen = messages.get(id!);
      if (seen && seen.placeholders !== placeholders) withoutId.push(`${id} is used with different placeholders in ${seen.file} and ${file}`);
      messages.set(id!, { file, placeholders });
    }
  }
  return { messages, withoutId };
}

describe('client messages', () => {
  const { messages, withoutId } = collect();
  const zh = templates as Record<string, unknown>;

  it('are all called with an explicit id', () => {
    expect(messages.size).toBeGreaterThan(50);
    expect(withoutId).toEqual([]);
  });

  it('all have a Simplified Chinese translation, and the locale has no stale ones', () => {
    expect([...messages.keys()].filter((id) => !(id in zh)).sort()).toEqual([]);
    expect(Object.keys(zh).filter((id) => !messages.has(id)).sort()).toEqual([]);
  });

  it('keep the placeholders of the English source in the translation', () => {
    const wrong: string[] = [];
    for (const [id, { placeholders }] of messages) {
      const t = zh[id];
      if (t === undefined) continue; // reported by the test above
      if (placeholders === 0) {
        if (typeof t !== 'string' || t.trim() === '') wrong.push(`${id}: expected a plain string`);
        continue;
      }
      const values = (t as { strTag?: boolean; values?: unknown[] }).values;
      const expected = Array.from({ length: placeholders }, (_, i) => i);
      if (!(t as { strTag?: boolean }).strTag || JSON.stringify([...(values ?? [])].sort()) !== JSON.stringify(expected)) {
        wrong.push(`${id}: expected str\`…\` using each of ${expected.join(', ')} once`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
