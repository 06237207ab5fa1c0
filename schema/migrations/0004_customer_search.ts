import { type Kysely, sql } from 'kysely';

/**
 * Customer search, duplicates, saved filters, imports and categories.
 *
 * Search: `pg_trgm` cannot use an index for a two-character term (华为), so every
 * searchable text is broken into tokens by `tandem_search_tokens`: CJK unigrams and
 * bigrams, Latin/digit bigrams and trigrams. A GIN index over the token array answers
 * `search_tokens @> query_tokens`; a LIKE over `search_text` rechecks the exact substring.
 * Both columns are generated from the projection's columns plus `contact_search`
 * (contact names, e-mails and phone digits, kept by the contacts service), so the
 * projection code needs no knowledge of search.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // String.raw: the regular expressions reach PostgreSQL with their \u escapes intact.
  await sql.raw(String.raw`
    create function tandem_search_tokens(t text) returns text[]
    language sql immutable strict parallel safe as $fn$
      select coalesce(array_agg(distinct tok), '{}'::text[]) from (
        select substr(w.word, i, n) as tok
        from (
          select m[1] as word, true as cjk
            from regexp_matches(t, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g') as m
          union all
          select m[1], false
            from regexp_matches(lower(t), '[a-z0-9]+', 'g') as m
        ) w
        cross join lateral (values (1), (2), (3)) as len(n)
        cross join lateral generate_series(1, char_length(w.word) - n + 1) as i
        where (w.cjk and n <= 2) or (not w.cjk and n >= 2)
      ) s
    $fn$`).execute(db);

  // The duplicate key of a name: lower-cased; trailing Latin company suffixes (a separate
  // word: "Acme Co., Ltd." but not "Tesco") removed; spaces and punctuation removed; then
  // trailing Chinese company suffixes removed. Mirrored by nameKey() in
  // server/customers/customer-duplicates.ts; a test checks that both agree.
  await sql.raw(String.raw`
    create function tandem_name_key(t text) returns text
    language sql immutable strict parallel safe as $fn$
      select coalesce(nullif(
        regexp_replace(
          regexp_replace(
            regexp_replace(lower(t),
              '([\t\n\r \u3000\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e]+(co|ltd|inc|llc|plc|corp|corporation|company|limited|gmbh))+[\t\n\r \u3000\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e]*$', ''),
            '[\t\n\r \u3000\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00b7\u2018\u2019\u201c\u201d\u3001\u3002\u300a-\u3011\uff01-\uff0f\uff1a-\uff20]+', '', 'g'),
          '(股份有限公司|有限责任公司|有限公司|集团|公司)+$', ''),
        ''), lower(t))
    $fn$`).execute(db);

  await db.schema
    .alterTable('customers')
    .addColumn('contact_search', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`alter table customers
    add column search_text text generated always as
      (lower(name || ' ' || email || ' ' || phone_digits || ' ' || contact_search)) stored,
    add column search_tokens text[] generated always as
      (tandem_search_tokens(name || ' ' || email || ' ' || phone_digits || ' ' || contact_search)) stored,
    add column name_key text generated always as (tandem_name_key(name)) stored`.execute(db);

  await sql`create index customers_search_tokens_idx on customers using gin (search_tokens)`.execute(db);
  await sql`create index customers_tags_idx on customers using gin (tags)`.execute(db);
  await sql`create index customers_team_name_idx on customers (team_id, name, id)`.execute(db);
  await sql`create index customers_team_created_idx on customers (team_id, created_at, id)`.execute(db);
  await sql`create index customers_team_updated_id_idx on customers (team_id, updated_at, id)`.execute(db);
  await sql`create index customers_team_phone_idx on customers (team_id, phone_digits) where phone_digits <> ''`.execute(db);
  await sql`create index customers_team_email_idx on customers (team_id, email_norm) where email_norm <> ''`.execute(db);
  await sql`create index customers_team_name_key_idx on customers (team_id, name_key)`.execute(db);
  await sql`create index customers_team_followup_idx on customers (team_id, next_followup_at)`.execute(db);
  await sql`create index contacts_team_phone_idx on contacts (team_id, phone) where phone <> ''`.execute(db);

  await db.schema
    .createTable('customer_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('running').check(sql`status in ('running', 'done', 'failed', 'undone')`),
    )
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('undone_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('customers')
    .addColumn('import_id', 'uuid', (c) => c.references('customer_imports.id'))
    .execute();
  await sql`create index customers_import_idx on customers (import_id) where import_id is not null`.execute(db);

  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('saved_filters_user_name_key', ['user_id', 'name'])
    .execute();

  // A team's customer categories; a team without rows uses the defaults.
  await db.schema
    .createTable('customer_categories')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_categories_pkey', ['team_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_categories').execute();
  await db.schema.dropTable('saved_filters').execute();
  await db.schema.alterTable('customers').dropColumn('import_id').execute();
  await db.schema.dropTable('customer_imports').execute();
  await sql`alter table customers drop column name_key, drop column search_tokens, drop column search_text, drop column contact_search`.execute(
    db,
  );
  await sql`drop function tandem_name_key(text)`.execute(db);
  await sql`drop function tandem_search_tokens(text)`.execute(db);
}
