/**
 * The bad-input table of test/http/bad-input.test.ts, generated from the app's route list
 * (Hono's `app.routes`), so that a new route is tried without anyone adding it here.
 *
 * For every route: its path parameters filled with ids of seeded records, then one at a time
 * with malformed ones; for every query parameter the route's schema knows (and a generic few),
 * and for every JSON field its body schema knows (and a generic few): NUL, lone surrogates,
 * 36 dashes, forged cursors and dates, wrong types and numbers no column holds.
 */
import type { z } from 'zod';

export interface RouteRef {
  method: string;
  path: string;
}

export interface BadInput {
  /** What is tried, for the failure list: `POST /api/tasks body.title=NUL`. */
  label: string;
  method: string;
  /** Path with the query string, already percent-encoded. */
  url: string;
  headers?: Record<string, string>;
  /** Sent as is (a JSON text, CSV, or nothing). */
  body?: string;
  /** True for inputs the app must refuse with 400 and a named field (NUL, lone surrogates). */
  mustNameField?: boolean;
}

/** The schemas the routes validated with during the probe, by `METHOD /route/:path`. */
export interface SeenSchemas {
  body: Map<string, z.ZodType>;
  query: Map<string, z.ZodType>;
}

export interface CaseInputs {
  routes: RouteRef[];
  /** Valid ids by route segment (`customers`) or parameter name (`quoteId`). */
  ids: Record<string, string>;
  /** Valid bodies by `METHOD /route/:path`, the base each bad field is put into. */
  bodies: Record<string, unknown>;
  schemas: SeenSchemas;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const DASHES = '-'.repeat(36);
const NUL = 'a\u0000b';
const LONE_HIGH = 'x\uD800';
const LONE_LOW = '\uDC00y';
/** A placeholder JSON string replaced by a number literal JavaScript cannot hold. */
const RAW = '__raw_number__';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const FORGED_CURSORS = [
  b64({ s: '-updated', v: '9999-99-99T99:99:99.999999Z', i: '00000000-0000-4000-8000-000000000000' }),
  b64({ s: 'name', v: 'x', i: DASHES }),
  b64({ s: 'name', v: NUL, i: '00000000-0000-4000-8000-000000000000' }),
  b64({ s: '-created', v: '0000-01-01T00:00:00.000000Z', i: '00000000-0000-4000-8000-000000000000' }),
  Buffer.from(`9999-99-99T99:99:99.999Z|${DASHES}`).toString('base64url'),
  Buffer.from(`2026-01-01T00:00:00.000Z|${DASHES}`).toString('base64url'),
  '%00',
];

/** Values of one query parameter, already encoded. NUL and lone surrogates must be refused by name. */
const QUERY_VALUES: { name: string; raw: string; named?: boolean }[] = [
  { name: 'NUL', raw: encodeURIComponent(NUL), named: true },
  { name: 'lone surrogate (CESU bytes)', raw: '%ED%A0%80' },
  { name: 'lone surrogate (bad UTF-8)', raw: '%FF%FE' },
  { name: '36 dashes', raw: DASHES },
  { name: 'huge number', raw: '1e308' },
  { name: 'huge integer', raw: '99999999999999999999999' },
  { name: 'negative', raw: '-1' },
  { name: 'impossible time', raw: encodeURIComponent('9999-99-99T99:99:99.999999Z') },
  { name: 'year zero', raw: '0000-01-01' },
  { name: 'year 10000 in UTC', raw: encodeURIComponent('9999-12-31T23:59:59-14:00') },
  { name: 'beyond JS dates', raw: encodeURIComponent('275760-09-14T00:00:00Z') },
  { name: 'long', raw: 'x'.repeat(5000) },
];

const GENERIC_QUERY = ['q', 'cursor', 'before', 'limit', 'ownerId', 'teamId', 'from', 'since', 'tz'];
const GENERIC_FIELDS = ['name', 'title', 'email', 'id', 'ownerId', 'amount'];

/** JSON values for one field. */
const FIELD_VALUES: { name: string; value: unknown; named?: boolean }[] = [
  { name: 'NUL', value: NUL, named: true },
  { name: 'lone high surrogate', value: LONE_HIGH, named: true },
  { name: 'lone low surrogate', value: LONE_LOW, named: true },
  { name: 'NUL in an array', value: [NUL], named: true },
  { name: '36 dashes', value: DASHES },
  { name: '1e308', value: 1e308 },
  { name: '-1e308', value: -1e308 },
  { name: '2^64', value: 2 ** 64 },
  { name: '1e400 (Infinity)', value: `${RAW}1e400` },
  { name: '-1e-400', value: `${RAW}-1e-400` },
  { name: 'tiny fraction', value: 0.000001 },
  { name: 'true', value: true },
  { name: 'object', value: { a: 1 } },
  { name: 'null', value: null },
  { name: 'impossible time', value: '9999-99-99T99:99:99.999999Z' },
  { name: 'year zero', value: '0000-01-01T00:00:00Z' },
  { name: 'year zero date', value: '0000-01-01' },
  { name: 'year 10000 in UTC', value: '9999-12-31T23:59:59-14:00' },
  { name: '100k chars', value: 'x'.repeat(100_000) },
];

/** Bodies that are wrong as a whole. */
const WHOLE_BODIES: { name: string; body: string; headers?: Record<string, string>; named?: boolean }[] = [
  { name: 'not JSON', body: '{"name": ' },
  { name: 'null', body: 'null' },
  { name: 'array', body: '[]' },
  { name: 'string', body: '"x"' },
  { name: 'Infinity', body: '1e400' },
  { name: 'NUL key', body: '{"\\u0000": 1}', named: true },
  { name: 'lone surrogate key', body: '{"\\ud800": 1}', named: true },
  { name: 'NUL deep inside', body: '{"a": {"b": [{"c": "\\u0000"}]}}', named: true },
  { name: 'deep nesting', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { name: 'form body', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { name: 'JSON without its type', body: '{"name":"x"}', headers: { 'content-type': 'text/plain' } },
];

const MALFORMED_IDS: { name: string; raw: string; named?: boolean }[] = [
  { name: 'NUL', raw: '%00' },
  { name: '36 dashes', raw: DASHES },
  { name: 'hex-less uuid', raw: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' },
  { name: 'lone surrogate bytes', raw: '%ED%A0%80' },
  { name: 'too long', raw: 'a'.repeat(300) },
  { name: 'unknown uuid', raw: '7a1c1d3e-58a4-4c1e-9d0b-000000000001' },
];

/** The JSON paths and rough types a body schema knows (zod v4), a few levels deep. */
export function schemaFields(schema: z.ZodType, prefix: string[] = [], depth = 0): string[][] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (depth > 4) return [];
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      return Object.entries(shape).flatMap(([k, v]) => [[...prefix, k], ...schemaFields(v, [...prefix, k], depth + 1)]);
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return schemaFields(def.innerType as z.ZodType, prefix, depth);
    case 'pipe':
      return schemaFields(def.in as z.ZodType, prefix, depth);
    case 'array':
      return schemaFields(def.element as z.ZodType, [...prefix, '0'], depth + 1);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => schemaFields(o, prefix, depth));
    default:
      return [];
  }
}

/** A deep copy of `base` with `value` at `path` (numeric segments make arrays). */
export function withField(base: unknown, path: string[], value: unknown): unknown {
  const root = structuredClone(base ?? {}) as Record<string, unknown>;
  let node: Record<string, unknown> = typeof root === 'object' && root !== null ? root : {};
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const nextIsIndex = /^\d+$/.test(path[i + 1]!);
    const existing = node[key];
    if (typeof existing !== 'object' || existing === null) node[key] = nextIsIndex ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return root;
}

function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');
}

/** The id for one parameter of a route: by parameter name, else by the route's first segment. */
function idFor(ids: Record<string, string>, path: string, param: string): string {
  if (ids[param]) return ids[param]!;
  const segment = path.split('/')[2] ?? '';
  return ids[segment] ?? '7a1c1d3e-58a4-4c1e-9d0b-00000000000f';
}

/** The route's path with every parameter filled; `override` replaces one parameter's value. */
export function fillPath(path: string, ids: Record<string, string>, override?: { param: string; raw: string }): string {
  return path
    .replace(/^\*/, '/*')
    .replace(/\*$/, 'x')
    .replace(/:([A-Za-z]+)/g, (_, param: string) => (override?.param === param ? override.raw : encodeURIComponent(idFor(ids, path, param))));
}

const key = (r: RouteRef) => `${r.method} ${r.path}`;
const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD';

export function generateBadInputs(inputs: CaseInputs): BadInput[] {
  const out: BadInput[] = [];
  for (const route of inputs.routes) {
    const k = key(route);
    const base = inputs.bodies[k] ?? {};
    const baseText = hasBody(route.method) ? JSON.stringify(base) : undefined;
    const headers = hasBody(route.method) ? JSON_TYPE : undefined;
    const url = fillPath(route.path, inputs.ids);
    const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

    for (const param of params) {
      for (const v of MALFORMED_IDS) {
        out.push({ label: `${k} :${param}=${v.name}`, method: route.method, url: fillPath(route.path, inputs.ids, { param, raw: v.raw }), headers, body: baseText });
      }
    }

    if (route.path.endsWith('*')) {
      for (const raw of ['%00', '%ED%A0%80', '..%2f..%2fpackage.json', '..%5c..%5cpackage.json', 'assets/x.js%00.html']) {
        out.push({ label: `${k} *=${raw}`, method: route.method, url: route.path.replace(/^\*/, '/*').replace(/\*$/, raw), headers, body: baseText });
      }
    }

    const querySchema = inputs.schemas.query.get(k);
    const queryNames = new Set([...(querySchema ? schemaFields(querySchema).filter((p) => p.length === 1).map((p) => p[0]!) : []), ...GENERIC_QUERY]);
    if (!hasBody(route.method) || querySchema) {
      for (const name of queryNames) {
        for (const v of QUERY_VALUES) {
          out.push({ label: `${k} ?${name}=${v.name}`, method: route.method, url: `${url}?${name}=${v.raw}`, headers, body: baseText, mustNameField: v.named });
        }
        if (name !== 'cursor' && name !== 'before') continue;
        FORGED_CURSORS.forEach((raw, i) => {
          out.push({ label: `${k} ?${name}=forged cursor ${i + 1}`, method: route.method, url: `${url}?${name}=${raw}`, headers, body: baseText });
        });
      }
      out.push({ label: `${k} ?NUL key`, method: route.method, url: `${url}?a%00b=1`, headers, body: baseText, mustNameField: true });
      out.push({ label: `${k} ?repeated 500 times`, method: route.method, url: `${url}?${Array.from({ length: 500 }, () => `ownerId=${DASHES}`).join('&')}`, headers, body: baseText });
    }

    if (!hasBody(route.method)) continue;
    const bodySchema = inputs.schemas.body.get(k);
    const fields = [...(bodySchema ? schemaFields(bodySchema) : []), ...GENERIC_FIELDS.map((f) => [f])];
    const seen = new Set<string>();
    for (const path of fields) {
      const name = path.join('.');
      if (seen.has(name)) continue;
      seen.add(name);
      for (const v of FIELD_VALUES) {
        out.push({
          label: `${k} body.${name}=${v.name}`,
          method: route.method,
          url,
          headers: JSON_TYPE,
          body: toJsonText(withField(base, path, v.value)),
          mustNameField: v.named,
        });
      }
    }
    if (route.method === 'POST') {
      for (const [name, value] of [
        ['201 characters', 'k'.repeat(201)],
        ['not ASCII', 'clé'],
      ]) {
        out.push({ label: `${k} Idempotency-Key ${name}`, method: route.method, url, headers: { ...JSON_TYPE, 'idempotency-key': value! }, body: baseText });
      }
    }
    for (const v of WHOLE_BODIES) {
      out.push({ label: `${k} body=${v.name}`, method: route.method, url, headers: v.headers ?? JSON_TYPE, body: v.body, mustNameField: v.named });
    }
  }
  return out;
}

/** CSV files for the import route: NUL in a cell, in a header, and in the mapping. */
export function importInputs(path: string): BadInput[] {
  const csv = { 'content-type': 'text/csv' };
  return [
    { label: 'import: NUL in a cell', method: 'POST', url: path, headers: csv, body: 'name,phone\nAcme\u0000 Ltd,123456\n', mustNameField: true },
    { label: 'import: NUL in a header', method: 'POST', url: path, headers: csv, body: 'name,ph\u0000one\nAcme,123456\n', mustNameField: true },
    { label: 'import: NUL in the file name', method: 'POST', url: `${path}?fileName=a%00.csv`, headers: csv, body: 'name\nAcme\n', mustNameField: true },
    {
      label: 'import: NUL in the mapping',
      method: 'POST',
      url: `${path}?mapping=${encodeURIComponent(JSON.stringify({ name: 'name', 'x\u0000': 'ignore' }))}`,
      headers: csv,
      body: 'name\nAcme\n',
      mustNameField: true,
    },
    {
      label: 'import: NUL in a multipart field',
      method: 'POST',
      url: path,
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: '--XyZ\r\nContent-Disposition: form-data; name="fileName"\r\n\r\na\u0000b\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\nname\nAcme\n\r\n--XyZ--\r\n',
      mustNameField: true,
    },
    {
      label: 'import: broken multipart',
      method: 'POST',
      url: path,
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: '--XyZ\r\nContent-Disposition: form-data; name="file"\r\n\r\nname\nAcme',
    },
    { label: 'import: multipart without boundary', method: 'POST', url: path, headers: { 'content-type': 'multipart/form-data' }, body: 'x' },
    { label: 'import: 36 dashes as team', method: 'POST', url: `${path}?teamId=${DASHES}`, headers: csv, body: 'name\nAcme\n' },
  ];
}
