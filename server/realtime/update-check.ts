/**
 * A strict structural check of an untrusted Yjs update (format v1), run over the bytes before
 * any `Y.Doc` sees them. Yjs believes what an update says: a struct's length moves its client's
 * clock for good, counts size arrays before a byte is read, and `readAny` recurses. A rep once
 * poisoned a document with a GC struct of length 2^53−2 (its client's clock then sat at the edge
 * of the safe integers), and a chain of 10,000 nested XmlElements overflowed the stack.
 *
 * Contract: `checkUpdate` is pure, never throws, and runs in time and memory linear in the
 * byte length (a log factor for ID lookups). It accepts exactly one well-formed v1 update and
 * refuses: truncated or trailing bytes; unknown struct, content, type or any-value tags; client
 * ids above `maxClient`; any struct or delete range ending past `maxClock`; zero lengths Yjs
 * never writes; counts the remaining bytes cannot carry; strings that are not UTF-8; JSON that
 * does not parse; any-values or JSON nested deeper than `maxDepth`; subdocuments (`ContentDoc`,
 * unused by the product); duplicate client blocks (Yjs keeps only the last); reference cycles;
 * and shared types nested deeper than `maxDepth` within the update. Types outside the update
 * count as depth 0: the depth a document already has is the hub's to bound.
 */

export interface UpdateLimits {
  /** Highest end (clock + length) of any struct or delete range. */
  maxClock: number;
  /** Deepest nesting of any-values and JSON, and of shared types created by one update. */
  maxDepth: number;
  /** Highest client id; Yjs draws them from 32 bits. */
  maxClient: number;
}

export type UpdateCheck =
  | { ok: true; structs: number; deletes: number; roots: ReadonlySet<string>; typeDepth: number; anyDepth: number }
  | { ok: false; reason: string };

export const DEFAULT_UPDATE_LIMITS: Readonly<UpdateLimits> = { maxClock: 2 ** 31, maxDepth: 64, maxClient: 2 ** 32 - 1 };

/** Eight groups of 7 bits hold every safe integer; Yjs never writes a longer varint. */
const MAX_VARINT_BYTES = 8;
/** Fewest bytes each repeated element can take, to refuse counts before looping. */
const MIN_STRUCT_BYTES = 2; // info + a length, an ID or parent info
const MIN_CLIENT_BLOCK_BYTES = 3 + MIN_STRUCT_BYTES; // count, client, clock, one struct
const MIN_DELETE_BYTES = 2; // clock, length; also client, count
const MIN_VALUE_BYTES = 1; // a tag, or a string's length
const MIN_ENTRY_BYTES = 2; // a key's length and a tag

// Struct info byte (Item.js): flags above, content ref in the low 5 bits.
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const REF_MASK = 0x1f;
const REF = { gc: 0, deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9, skip: 10 };
const TYPE_REFS = 7; // YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText
const KEYED_TYPE_REFS = new Set([3, 5]); // YXmlElement and YXmlHook carry a node name
// lib0 `readAny` tags.
const ANY = { uint8Array: 116, array: 117, object: 118, string: 119, varInt: 125, float32: 124, float64: 123, bigint: 122 };
const ANY_MIN_TAG = 116;
const ANY_MAX_TAG = 127;

/** Same settings as lib0, so a string decodes to the length Yjs counts. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Thrown inside the parser only, so it can bail out from any depth; `checkUpdate` answers it. */
class Refusal {
  constructor(readonly reason: string) {}
}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

/**
 * A string of the update. NUL is refused in every string (text, keys, values,
 * names): PostgreSQL text cannot hold it, so a projection could never be written.
 * Lone surrogates cannot occur: UTF-8 cannot encode them and the decoder is fatal.
 */
function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.includes(0)) refuse('string holds NUL');
  try {
    return utf8.decode(bytes);
  } catch {
    return refuse('string is not UTF-8');
  }
}

export function checkUpdate(update: Uint8Array, limits: Partial<UpdateLimits> = {}): UpdateCheck {
  const full: UpdateLimits = {
    maxClock: limits.maxClock ?? DEFAULT_UPDATE_LIMITS.maxClock,
    maxDepth: limits.maxDepth ?? DEFAULT_UPDATE_LIMITS.maxDepth,
    maxClient: limits.maxClient ?? DEFAULT_UPDATE_LIMITS.maxClient,
  };
  try {
    return { ok: true, ...new UpdateParser(update, full).parse() };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, reason: err.reason };
    // A bug here or an engine limit (out of memory) still refuses: the check never throws.
    return { ok: false, reason: `internal: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The update that carries nothing: no structs, no deletions. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(): number {
    if (this.pos >= this.bytes.length) refuse('truncated');
    return this.bytes[this.pos++]!;
  }

  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.u8();
      num += (b & 0x7f) * mult;
      if (b < 0x80) return num <= Number.MAX_SAFE_INTEGER ? num : refuse('integer out of range');
      mult *= 128;
    }
    return refuse('varint too long');
  }

  /** lib0 `readVarInt`: sign and 6 bits in the first byte, then 7 per byte. */
  skipVarInt(): void {
    let b = this.u8();
    let num = b & 0x3f;
    let mult = 64;
    for (let i = 1; b >= 0x80; i++) {
      if (i === MAX_VARINT_BYTES) refuse('varint too long');
      b = this.u8();
      num += (b & 0x7f) * mult;
      mult *= 128;
    }
    if (num > Number.MAX_SAFE_INTEGER) refuse('integer out of range');
  }

  skip(length: number): void {
    if (length > this.remaining) refuse('truncated');
    this.pos += length;
  }

  string(): string {
    const length = this.varUint();
    const start = this.pos;
    this.skip(length);
    return decodeUtf8(this.bytes.subarray(start, start + length));
  }

  /** Skips a string, checked as `string()` is, and answers its length in UTF-16 units. */
  skipString(): number {
    const length = this.varUint();
    const start = this.pos;
    this.skip(length);
    // Most strings are ASCII: count them without the cost of a decoder call.
    for (let i = start; i < start + length; i++) {
      if (this.bytes[i]! >= 0x80 || this.bytes[i] === 0) return decodeUtf8(this.bytes.subarray(start, start + length)).length;
    }
    return length;
  }

  /** A count of elements of at least `minBytes` each, refused if the bytes left cannot hold them. */
  count(what: string, minBytes: number): number {
    const n = this.varUint();
    if (n * minBytes > this.remaining) refuse(`${what}: ${n} do not fit in ${this.remaining} bytes`);
    return n;
  }
}

/** How an item names its parent; decides the depth of the types it holds. */
const VIA_ROOT = 0; // a root, by name: depth 0
const VIA_PARENT = 1; // the type held by the item at (client, clock)
const VIA_NEIGHBOUR = 2; // the same parent as the item at (client, clock)

/** Where an item's parent comes from: `via` one of the VIA_ constants, and the ID it names. */
interface ParentRef {
  via: number;
  client: number;
  clock: number;
}

/** A client's structs in clock order: where each starts, and its item index (-1 for GC and Skip). */
interface Block {
  starts: number[];
  items: number[];
  end: number;
}

/** Items of the update and their parent references, kept flat. */
class ItemGraph {
  private readonly blocks = new Map<number, Block>();
  private readonly holdsType: boolean[] = [];
  private readonly via: number[] = [];
  private readonly refClient: number[] = [];
  private readonly refClock: number[] = [];

  /** The client's block, or null if it already has one. */
  addBlock(client: number): Block | null {
    if (this.blocks.has(client)) return null;
    const block: Block = { starts: [], items: [], end: 0 };
    this.blocks.set(client, block);
    return block;
  }

  /** The next struct of a block; `parent` is null for GC and Skip, which are no items. */
  addStruct(block: Block, clock: number, length: number, parent: ParentRef | null, holdsType: boolean): void {
    block.starts.push(clock);
    block.end = clock + length;
    block.items.push(parent === null ? -1 : this.via.length);
    if (parent === null) return;
    this.via.push(parent.via);
    this.refClient.push(parent.client);
    this.refClock.push(parent.clock);
    this.holdsType.push(holdsType);
  }

  /** The index of the item of this update covering (client, clock), or -1 (GC, Skip or outside). */
  private find(client: number, clock: number): number {
    const block = this.blocks.get(client);
    if (block === undefined || clock < block.starts[0]! || clock >= block.end) return -1;
    let lo = 0;
    let hi = block.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (block.starts[mid]! <= clock) lo = mid;
      else hi = mid - 1;
    }
    return block.items[lo]!;
  }

  /**
   * The deepest type this update creates (a type under a root or outside the update is at 1),
   * refused past `maxDepth`. Iterative: each item waits on at most one other, so a stack of
   * pending items replaces recursion, and an item met again while pending is a cycle.
   */
  typeDepth(maxDepth: number): number {
    const n = this.via.length;
    const dependsOn = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const via = this.via[i]!;
      const d = via === VIA_ROOT ? -1 : this.find(this.refClient[i]!, this.refClock[i]!);
      // A parent that holds no type (deleted, or garbage) leaves the item outside any type here.
      dependsOn[i] = via === VIA_PARENT && d >= 0 && !this.holdsType[d] ? -1 : d;
    }
    const UNKNOWN = -1;
    const PENDING = -2;
    const parentDepth = new Int32Array(n).fill(UNKNOWN);
    const stack: number[] = [];
    let deepest = 0;
    for (let i = 0; i < n; i++) {
      if (parentDepth[i] !== UNKNOWN) continue;
      parentDepth[i] = PENDING;
      stack.push(i);
      while (stack.length > 0) {
        const cur = stack[stack.length - 1]!;
        const d = dependsOn[cur]!;
        let depth = 0;
        if (d >= 0) {
          const known = parentDepth[d]!;
          if (known === PENDING) refuse('reference cycle');
          if (known === UNKNOWN) {
            parentDepth[d] = PENDING;
            stack.push(d);
            continue;
          }
          depth = this.via[cur] === VIA_PARENT ? known + 1 : known;
        }
        parentDepth[cur] = depth;
        stack.pop();
        if (this.holdsType[cur]) {
          if (depth + 1 > maxDepth) refuse(`typeDepth: shared types nested deeper than ${maxDepth}`);
          deepest = Math.max(deepest, depth + 1);
        }
      }
    }
    return deepest;
  }
}

class UpdateParser {
  private readonly r: Reader;
  private readonly graph = new ItemGraph();
  private readonly roots = new Set<string>();
  private anyDepth = 0;

  constructor(
    update: Uint8Array,
    private readonly limits: UpdateLimits,
  ) {
    this.r = new Reader(update);
  }

  parse(): { structs: number; deletes: number; roots: ReadonlySet<string>; typeDepth: number; anyDepth: number } {
    const structs = this.structs();
    const deletes = this.deleteSet();
    if (this.r.remaining > 0) refuse(`${this.r.remaining} trailing bytes`);
    const typeDepth = this.graph.typeDepth(this.limits.maxDepth);
    return { structs, deletes, roots: this.roots, typeDepth, anyDepth: this.anyDepth };
  }

  /** `readClientsStructRefs`: per client block, a count, the client, its first clock, the structs. */
  private structs(): number {
    const r = this.r;
    let total = 0;
    const blocks = r.count('client blocks', MIN_CLIENT_BLOCK_BYTES);
    for (let b = 0; b < blocks; b++) {
      const n = r.count('structs', MIN_STRUCT_BYTES);
      if (n === 0) refuse('empty client block');
      const client = this.client();
      const block = this.graph.addBlock(client) ?? refuse(`client ${client} has two blocks`);
      let clock = r.varUint();
      for (let i = 0; i < n; i++) {
        const info = r.u8();
        const ref = info & REF_MASK;
        let length: number;
        if (ref === REF.gc || ref === REF.skip) {
          // Yjs writes these bare; its two readers disagree about flag bits on them.
          if (info !== ref) refuse(`flags on a ${ref === REF.gc ? 'GC' : 'Skip'} struct`);
          length = this.nonZero(r.varUint(), 'struct length');
          this.graph.addStruct(block, clock, length, null, false);
        } else {
          const parent = this.itemHeader(info);
          const content = this.content(ref);
          length = content.length;
          this.graph.addStruct(block, clock, length, parent, content.type);
        }
        this.end(client, clock, length);
        clock += length;
        total++;
      }
    }
    return total;
  }

  /** `readItem` up to the content: origins, then parent and parentSub only when neither is given. */
  private itemHeader(info: number): ParentRef {
    const r = this.r;
    const origin = info & HAS_ORIGIN ? this.id(VIA_NEIGHBOUR) : null;
    const rightOrigin = info & HAS_RIGHT_ORIGIN ? this.id(VIA_NEIGHBOUR) : null;
    // Yjs takes the parent from the origin when there is one, else from the right origin.
    const neighbour = origin ?? rightOrigin;
    if (neighbour !== null) return neighbour;
    let parent: ParentRef;
    const parentInfo = r.varUint();
    if (parentInfo === 1) {
      this.roots.add(r.string());
      parent = { via: VIA_ROOT, client: 0, clock: 0 };
    } else if (parentInfo === 0) {
      parent = this.id(VIA_PARENT);
    } else {
      return refuse(`parent info ${parentInfo}`);
    }
    if (info & HAS_PARENT_SUB) r.skipString();
    return parent;
  }

  /** The `read*Content` functions (Item.js `contentRefs`): the content's length, whether it is a type. */
  private content(ref: number): { length: number; type: boolean } {
    const r = this.r;
    switch (ref) {
      case REF.deleted:
        return { length: this.nonZero(r.varUint(), 'deleted length'), type: false };
      case REF.json: {
        const n = this.nonZero(r.count('JSON values', MIN_VALUE_BYTES), 'JSON count');
        for (let i = 0; i < n; i++) {
          const text = r.string();
          if (text !== 'undefined') this.json(text);
        }
        return { length: n, type: false };
      }
      case REF.binary:
        r.skip(r.varUint());
        return { length: 1, type: false };
      case REF.string:
        // Yjs counts a string in UTF-16 units.
        return { length: this.nonZero(r.skipString(), 'string length'), type: false };
      case REF.embed:
        this.json(r.string());
        return { length: 1, type: false };
      case REF.format:
        r.skipString();
        this.json(r.string());
        return { length: 1, type: false };
      case REF.type: {
        const typeRef = r.varUint();
        if (typeRef >= TYPE_REFS) refuse(`unknown type ref ${typeRef}`);
        if (KEYED_TYPE_REFS.has(typeRef)) r.skipString();
        return { length: 1, type: true };
      }
      case REF.any: {
        const n = this.nonZero(r.count('any values', MIN_VALUE_BYTES), 'any count');
        for (let i = 0; i < n; i++) this.any();
        return { length: n, type: false };
      }
      case REF.doc:
        return refuse('subdocuments (ContentDoc) are not accepted');
      default:
        return refuse(`unknown content ref ${ref}`);
    }
  }

  /**
   * One lib0 any-value, read with an explicit stack (lib0's `readAny` recurses): `pending[i]`
   * values are left at nesting level i, preceded by a key each if `keyed[i]`.
   */
  private any(): void {
    const r = this.r;
    const pending = [1];
    const keyed = [false];
    while (pending.length > 0) {
      const top = pending.length - 1;
      if (pending[top] === 0) {
        pending.pop();
        keyed.pop();
        continue;
      }
      pending[top]!--;
      if (keyed[top]) r.skipString();
      const tag = r.u8();
      if (tag < ANY_MIN_TAG || tag > ANY_MAX_TAG) refuse(`unknown any tag ${tag}`);
      switch (tag) {
        case ANY.varInt:
          r.skipVarInt();
          break;
        case ANY.float32:
          r.skip(4);
          break;
        case ANY.float64:
        case ANY.bigint:
          r.skip(8);
          break;
        case ANY.string:
          r.skipString();
          break;
        case ANY.uint8Array:
          r.skip(r.varUint());
          break;
        case ANY.array:
        case ANY.object: {
          const isObject = tag === ANY.object;
          const n = r.count(isObject ? 'object entries' : 'array values', isObject ? MIN_ENTRY_BYTES : MIN_VALUE_BYTES);
          this.nested(pending.length);
          pending.push(n);
          keyed.push(isObject);
          break;
        }
        default: // undefined, null, true, false: the tag is the value
      }
    }
  }

  /** A JSON value (ContentJSON, ContentEmbed, ContentFormat) that parses, walked without recursion. */
  private json(text: string): void {
    // An escaped NUL (`\u0000`) is as unstorable as a raw one.
    if (text.includes('\\u0000')) refuse('JSON holds NUL');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      refuse('invalid JSON');
    }
    const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      if (top.value === null || typeof top.value !== 'object') continue;
      this.nested(top.depth + 1);
      for (const child of Object.values(top.value)) stack.push({ value: child, depth: top.depth + 1 });
    }
  }

  private nested(depth: number): void {
    if (depth > this.limits.maxDepth) refuse(`anyDepth: values nested deeper than ${this.limits.maxDepth}`);
    this.anyDepth = Math.max(this.anyDepth, depth);
  }

  /** `readDeleteSet`: per client, the client, a count, then (clock, length) ranges. */
  private deleteSet(): number {
    const r = this.r;
    let total = 0;
    const clients = r.count('delete-set clients', MIN_DELETE_BYTES);
    for (let c = 0; c < clients; c++) {
      const client = this.client();
      const n = r.count('delete ranges', MIN_DELETE_BYTES);
      for (let i = 0; i < n; i++) {
        const clock = r.varUint();
        this.end(client, clock, this.nonZero(r.varUint(), 'delete length'));
      }
      total += n;
    }
    return total;
  }

  private client(): number {
    const client = this.r.varUint();
    return client <= this.limits.maxClient ? client : refuse(`client ${client} above ${this.limits.maxClient}`);
  }

  /** An ID (origin, right origin, parent) must name a clock some accepted struct could hold. */
  private id(via: number): ParentRef {
    const client = this.client();
    const clock = this.r.varUint();
    if (clock >= this.limits.maxClock) refuse(`clock ${clock} of ${client} out of range`);
    return { via, client, clock };
  }

  /** Refuses a range ending past `maxClock`; written so that no sum can lose precision. */
  private end(client: number, clock: number, length: number): void {
    if (clock > this.limits.maxClock || length > this.limits.maxClock - clock) {
      refuse(`range ${clock}+${length} of client ${client} ends past clock ${this.limits.maxClock}`);
    }
  }

  private nonZero(n: number, what: string): number {
    return n > 0 ? n : refuse(`${what} of 0`);
  }
}
