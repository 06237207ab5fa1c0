/**
 * Compensation: undoing exactly the refused parts of an accepted update.
 *
 * The hub applies a client's update to its scratch copy (`after`), and the
 * document kind points at what it refuses: some keys of a map (or XML
 * attributes), the whole content of a type, or everything. The hub then
 * writes, as the server, a change that puts those parts back as they were in
 * `before` (the accepted state without this update). The update and its
 * compensation are stored and broadcast merged, so every peer, the sender
 * included, converges on the result without ever showing the refused value.
 *
 * What "back as they were" means:
 * - a map key: its previous value again (a copy of it when it is a shared
 *   type), or no value when it had none;
 * - a list (array, XML children): items the update inserted are removed,
 *   items it deleted are inserted again (copies), in their old places;
 * - a text: the span the update changed is replaced by the old span, with its
 *   formatting;
 * - a type the update created: removed from its parent.
 * Walks are bounded by MAX_RESTORE_DEPTH; documents that pass the structural
 * check and the kinds' shapes are far shallower.
 */
import * as Y from 'yjs';
import type { KeyChange, RefusedPart, SharedType, TypeChange } from './doc-kind.ts';

/** Nesting below which restoring stops (documents of this product nest a handful of levels). */
export const MAX_RESTORE_DEPTH = 200;

/** What compensations restored so far: the changes they cover are no longer the update's. */
export class Restored {
  readonly types = new Set<SharedType>();
  readonly keys = new Map<SharedType, Set<string>>();
  all = false;

  /** Nothing restored yet: what Yjs reported is what the update changes. */
  get empty(): boolean {
    return !this.all && this.types.size === 0 && this.keys.size === 0;
  }

  addKey(type: SharedType, key: string): void {
    const set = this.keys.get(type) ?? new Set<string>();
    set.add(key);
    this.keys.set(type, set);
  }

  /** True when `type`, one of its ancestors, or the key it lives under was restored (or it was deleted). */
  covers(type: SharedType): boolean {
    if (this.all) return true;
    let t: SharedType | null = type;
    for (let depth = 0; t !== null && depth <= MAX_RESTORE_DEPTH; depth++) {
      if (this.types.has(t)) return true;
      const item: Y.Item | null = t._item;
      if (item === null) return false;
      if (item.deleted) return true;
      const parent = item.parent as SharedType;
      if (item.parentSub !== null && this.keys.get(parent)?.has(item.parentSub)) return true;
      t = parent;
    }
    return true;
  }
}

/**
 * Applies one refused part to `after` (call inside a transaction of `after`),
 * reading old values from `before`, and records what it restored.
 */
export function compensate(after: Y.Doc, before: Y.Doc, part: RefusedPart, restored: Restored): void {
  if (part === 'all') {
    for (const [name, type] of after.share) {
      const old = before.share.get(name);
      if (old) restoreContent(type, old, restored, 0);
      else clearContent(type);
    }
    restored.all = true;
    return;
  }
  if (part.of._item?.deleted) return;
  const old = counterpart(part.of, before);
  if (old === null) {
    removeCreated(part.of, before, restored);
    return;
  }
  if ('keys' in part) restoreKeys(part.of, old, part.keys, restored, 0);
  else restoreContent(part.of, old, restored, 0);
}

/**
 * The changes an update still makes once compensations have run: one entry
 * per changed type, keys with their value before the update (the first
 * change reported), minus what was restored and what was removed.
 */
export function netChanges(changes: readonly TypeChange[], restored: Restored): readonly TypeChange[] {
  // One transaction reports each changed type once: with nothing restored there is nothing to net (the usual case).
  if (restored.empty) return changes;
  const byTarget = new Map<SharedType, { root: string; keys: Map<string, KeyChange>; listChanged: boolean; addedItems: Y.Item[]; removed: unknown[] }>();
  for (const ch of changes) {
    let m = byTarget.get(ch.target);
    if (!m) {
      m = { root: ch.root, keys: new Map(), listChanged: false, addedItems: [], removed: [] };
      byTarget.set(ch.target, m);
    }
    for (const [k, kc] of ch.keys) if (!m.keys.has(k)) m.keys.set(k, kc);
    m.listChanged ||= ch.listChanged;
    m.addedItems.push(...ch.addedItems);
    m.removed.push(...ch.removed);
  }
  const out: TypeChange[] = [];
  for (const [target, m] of byTarget) {
    if (restored.covers(target)) continue;
    const restoredKeys = restored.keys.get(target);
    const keys = new Map<string, KeyChange>();
    for (const [k, kc] of m.keys) {
      if (restoredKeys?.has(k)) continue;
      const now = liveValue(target, k);
      if (now === undefined && kc.oldValue === undefined) continue;
      keys.set(k, { action: now === undefined ? 'delete' : kc.oldValue === undefined ? 'add' : 'update', oldValue: kc.oldValue });
    }
    const addedItems = m.addedItems.filter((item) => !item.deleted);
    if (keys.size === 0 && !m.listChanged && addedItems.length === 0) continue;
    out.push(typeChange(m.root, target, keys, m.listChanged, addedItems, m.removed));
  }
  return out;
}

/** A TypeChange whose `added` values are read from the items inserted into a Y.Array. */
export function typeChange(
  root: string,
  target: SharedType,
  keys: ReadonlyMap<string, KeyChange>,
  listChanged: boolean,
  addedItems: Y.Item[],
  removed: readonly unknown[] = [],
): TypeChange {
  const added: unknown[] = [];
  if (target instanceof Y.Array) for (const item of addedItems) if (!item.deleted) added.push(...item.content.getContent());
  return { root, target, keys, listChanged, added, addedItems, removed };
}

// -- finding the old copy ----------------------------------------------------

/** The type in `before` that `type` is in `after`: a root by name, a nested type by its item id; null when the update created it. */
function counterpart(type: SharedType, before: Y.Doc): SharedType | null {
  const item = type._item;
  if (item === null) {
    for (const [name, t] of type.doc?.share ?? []) if (t === type) return before.share.get(name) ?? null;
    return null;
  }
  const { client, clock } = item.id;
  if (clock >= Y.getState(before.store, client)) return null;
  const found = Y.getItem(before.store, item.id);
  if (!(found instanceof Y.Item) || found.deleted || !(found.content instanceof Y.ContentType)) return null;
  return found.content.type as SharedType;
}

/** A type the update created: take it out of its parent (the nearest ancestor that existed before). */
function removeCreated(type: SharedType, before: Y.Doc, restored: Restored): void {
  let t = type;
  for (let depth = 0; depth <= MAX_RESTORE_DEPTH; depth++) {
    const item = t._item;
    if (item === null || item.deleted) return;
    const parent = item.parent as SharedType;
    const oldParent = counterpart(parent, before);
    if (oldParent === null) {
      t = parent;
      continue;
    }
    if (item.parentSub !== null) {
      restoreKeys(parent, oldParent, [item.parentSub], restored, 0);
      return;
    }
    const index = elements(parent).findIndex((e) => e.value === t);
    if (index >= 0) deleteAt(parent, index);
    restored.types.add(t);
    return;
  }
}

// -- restoring -----------------------------------------------------------------

function restoreContent(now: SharedType, old: SharedType, restored: Restored, depth: number): void {
  if (depth > MAX_RESTORE_DEPTH) return;
  restored.types.add(now);
  const keys = new Set([...liveKeys(now), ...liveKeys(old)]);
  if (keys.size > 0) restoreKeys(now, old, [...keys], restored, depth);
  if (now instanceof Y.Text && old instanceof Y.Text) restoreText(now, old);
  else if ((now instanceof Y.Array && old instanceof Y.Array) || (now instanceof Y.XmlFragment && old instanceof Y.XmlFragment)) {
    restoreList(now, old, restored, depth);
  }
}

function restoreKeys(now: SharedType, old: SharedType, keys: readonly string[], restored: Restored, depth: number): void {
  for (const key of keys) {
    restored.addKey(now, key);
    const a = liveItem(now, key);
    const b = liveItem(old, key);
    if (a && b && a.id.client === b.id.client && a.id.clock === b.id.clock) {
      // The same value as before: only its content may have changed.
      const av = itemValue(a);
      const bv = itemValue(b);
      if (av instanceof Y.AbstractType && bv instanceof Y.AbstractType) restoreContent(av, bv, restored, depth + 1);
      continue;
    }
    if (!b) {
      if (a) removeKey(now, key);
    } else {
      setKey(now, key, copy(itemValue(b)));
    }
  }
}

/** Removes what the update inserted, inserts again what it deleted, and restores the rest in place. */
function restoreList(now: Y.Array<unknown> | Y.XmlFragment, old: Y.Array<unknown> | Y.XmlFragment, restored: Restored, depth: number): void {
  const nowItems = elements(now);
  const oldItems = elements(old);
  const oldIds = new Set(oldItems.map((e) => e.id));
  for (let i = nowItems.length - 1; i >= 0; i--) if (!oldIds.has(nowItems[i]!.id)) deleteAt(now, i);
  const kept = new Map(nowItems.filter((e) => oldIds.has(e.id)).map((e) => [e.id, e.value]));
  let index = 0;
  for (const e of oldItems) {
    const value = kept.get(e.id);
    if (kept.has(e.id)) {
      if (value instanceof Y.AbstractType && e.value instanceof Y.AbstractType) restoreContent(value, e.value, restored, depth + 1);
    } else if (now instanceof Y.Array) {
      now.insert(index, [copy(e.value)]);
    } else {
      now.insert(index, [copy(e.value) as Y.XmlElement | Y.XmlText]);
    }
    index++;
  }
}

interface TextUnit {
  /** A UTF-16 code unit, or an embed. */
  unit: string | object;
  attrs: Record<string, unknown>;
  key: string;
}

/** Replaces the span that differs from the old text with the old span (formatting included). */
function restoreText(now: Y.Text, old: Y.Text): void {
  const a = textUnits(now);
  const b = textUnits(old);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix]!.key === b[prefix]!.key) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix]!.key === b[b.length - 1 - suffix]!.key) suffix++;
  // Never split a surrogate pair.
  if (prefix > 0 && isHighSurrogate(a[prefix - 1]!.unit)) prefix--;
  if (suffix > 0 && isLowSurrogate(a[a.length - suffix]!.unit)) suffix--;
  const removed = a.length - prefix - suffix;
  if (removed > 0) now.delete(prefix, removed);
  let index = prefix;
  const insert = b.slice(prefix, b.length - suffix);
  for (let i = 0; i < insert.length; ) {
    const u = insert[i]!;
    if (typeof u.unit !== 'string') {
      now.insertEmbed(index, u.unit, { ...u.attrs });
      index++;
      i++;
      continue;
    }
    const attrsKey = JSON.stringify(u.attrs);
    let text = '';
    while (i < insert.length && typeof insert[i]!.unit === 'string' && JSON.stringify(insert[i]!.attrs) === attrsKey) {
      text += insert[i]!.unit as string;
      i++;
    }
    now.insert(index, text, { ...u.attrs });
    index += text.length;
  }
}

function textUnits(text: Y.Text): TextUnit[] {
  const out: TextUnit[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const attrs = op.attributes ?? {};
    const attrsKey = JSON.stringify(attrs);
    if (typeof op.insert === 'string') {
      for (let i = 0; i < op.insert.length; i++) out.push({ unit: op.insert[i]!, attrs, key: `s${op.insert[i]}${attrsKey}` });
    } else {
      const embed = op.insert instanceof Y.AbstractType ? op.insert : (op.insert as object);
      out.push({ unit: embed, attrs, key: `e${out.length}` });
    }
  }
  return out;
}

const isHighSurrogate = (u: string | object) => typeof u === 'string' && u.charCodeAt(0) >= 0xd800 && u.charCodeAt(0) <= 0xdbff;
const isLowSurrogate = (u: string | object) => typeof u === 'string' && u.charCodeAt(0) >= 0xdc00 && u.charCodeAt(0) <= 0xdfff;

function clearContent(type: SharedType): void {
  for (const key of liveKeys(type)) removeKey(type, key);
  if (type instanceof Y.Text) type.delete(0, type.length);
  else if (type instanceof Y.Array || type instanceof Y.XmlFragment) type.delete(0, type.length);
}

// -- Yjs access ------------------------------------------------------------------

/** The visible elements of a list type, each with its id (items holding several values give one id each). */
function elements(type: SharedType): Array<{ id: string; value: unknown }> {
  const out: Array<{ id: string; value: unknown }> = [];
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const content = item.content.getContent();
    for (let i = 0; i < content.length; i++) out.push({ id: `${item.id.client}:${item.id.clock + i}`, value: content[i] });
  }
  return out;
}

function deleteAt(type: SharedType, index: number): void {
  if (type instanceof Y.Array || type instanceof Y.XmlFragment) type.delete(index, 1);
}

function liveItem(type: SharedType, key: string): Y.Item | null {
  const item = type._map.get(key);
  return item && !item.deleted ? item : null;
}

function liveKeys(type: SharedType): string[] {
  const out: string[] = [];
  for (const [key, item] of type._map) if (!item.deleted) out.push(key);
  return out;
}

function itemValue(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[item.length - 1];
}

/** The current value of a map key or attribute, undefined when absent. */
export function liveValue(type: SharedType, key: string): unknown {
  const item = liveItem(type, key);
  return item ? itemValue(item) : undefined;
}

function removeKey(type: SharedType, key: string): void {
  if (type instanceof Y.Map) type.delete(key);
  else if (type instanceof Y.XmlElement || type instanceof Y.Text) type.removeAttribute(key);
}

function setKey(type: SharedType, key: string, value: unknown): void {
  if (type instanceof Y.Map) type.set(key, value);
  else if (type instanceof Y.XmlElement) type.setAttribute(key, value as string);
  else if (type instanceof Y.Text) type.setAttribute(key, value);
}

/** A copy of a value for re-insertion: shared types are cloned (they cannot be inserted twice), plain values copied. */
function copy(value: unknown): unknown {
  if (value instanceof Y.AbstractType) return (value as SharedType & { clone(): SharedType }).clone();
  if (value instanceof Uint8Array) return value.slice();
  if (typeof value === 'object' && value !== null) return structuredClone(value);
  return value;
}
