import { type Kysely, sql } from 'kysely';

/**
 * A summary of each opportunity's stage history on the opportunity itself, so
 * the stage conversion report reads one row per opportunity of the cohort
 * instead of joining the cohort's whole stage history:
 *
 * - `stages_entered`: every stage it ever entered (sorted, no repeats). Stage
 *   ids, not positions: the report takes the furthest stage by the stages'
 *   current positions, so reordering stages in pipeline settings rewrites
 *   nothing here.
 * - `done_stay_stages`, `done_stay_micros`, `done_stay_counts` (aligned): per
 *   stage with completed stays (`left_at` set), the summed length of those
 *   stays in microseconds and their number.
 *
 * Triggers on `opportunity_stage_history` recompute the summary of every
 * opportunity whose history rows a statement inserts, changes or deletes,
 * whichever code path writes them (the board projection, demo seeding, bulk
 * loads). The columns are backfilled from the existing history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('opportunities')
    .addColumn('stages_entered', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('done_stay_stages', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('done_stay_micros', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'::bigint[]`))
    .addColumn('done_stay_counts', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'::integer[]`))
    .execute();

  // The summary of the given opportunities, as their history stands.
  await sql`
    create function opportunity_history_summary(ids uuid[])
    returns table (id uuid, stages_entered uuid[], done_stay_stages uuid[], done_stay_micros bigint[], done_stay_counts integer[])
    language sql stable as $$
      select a.id,
             coalesce((select array_agg(distinct h.to_stage_id order by h.to_stage_id)
                       from opportunity_stage_history h where h.opportunity_id = a.id), '{}'::uuid[]),
             coalesce(d.stages, '{}'::uuid[]), coalesce(d.micros, '{}'::bigint[]), coalesce(d.counts, '{}'::integer[])
      from (select distinct u.id from unnest(ids) as u(id)) a
      left join lateral (
        select array_agg(s.to_stage_id order by s.to_stage_id) as stages,
               array_agg(s.micros order by s.to_stage_id) as micros,
               array_agg(s.n order by s.to_stage_id) as counts
        from (select h.to_stage_id,
                     sum((extract(epoch from (h.left_at - h.entered_at)) * 1000000)::bigint)::bigint as micros,
                     count(*)::integer as n
              from opportunity_stage_history h
              where h.opportunity_id = a.id and h.left_at is not null
              group by h.to_stage_id) s
      ) d on true
    $$`.execute(db);

  // Locks the opportunities first, so that the summary is read after any other
  // transaction writing their history has committed.
  await sql`
    create function opportunity_history_summary_refresh(ids uuid[]) returns void language plpgsql as $$
    begin
      perform 1 from opportunities o where o.id = any(ids) order by o.id for update;
      update opportunities o
      set stages_entered = s.stages_entered,
          done_stay_stages = s.done_stay_stages,
          done_stay_micros = s.done_stay_micros,
          done_stay_counts = s.done_stay_counts
      from opportunity_history_summary(ids) s
      where o.id = s.id
        and (o.stages_entered, o.done_stay_stages, o.done_stay_micros, o.done_stay_counts)
            is distinct from (s.stages_entered, s.done_stay_stages, s.done_stay_micros, s.done_stay_counts);
    end
    $$`.execute(db);

  await sql`
    create function opportunity_stage_history_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform opportunity_history_summary_refresh(array(select opportunity_id from new_rows));
      elsif tg_op = 'UPDATE' then
        perform opportunity_history_summary_refresh(array(select opportunity_id from new_rows union select opportunity_id from old_rows));
      else
        perform opportunity_history_summary_refresh(array(select opportunity_id from old_rows));
      end if;
      return null;
    end
    $$`.execute(db);

  await sql`
    create trigger opportunity_stage_history_inserted after insert on opportunity_stage_history
    referencing new table as new_rows for each statement execute function opportunity_stage_history_changed()`.execute(db);
  await sql`
    create trigger opportunity_stage_history_updated after update on opportunity_stage_history
    referencing old table as old_rows new table as new_rows for each statement execute function opportunity_stage_history_changed()`.execute(db);
  await sql`
    create trigger opportunity_stage_history_deleted after delete on opportunity_stage_history
    referencing old table as old_rows for each statement execute function opportunity_stage_history_changed()`.execute(db);

  await sql`
    update opportunities o
    set stages_entered = s.stages_entered,
        done_stay_stages = s.done_stay_stages,
        done_stay_micros = s.done_stay_micros,
        done_stay_counts = s.done_stay_counts
    from opportunity_history_summary(array(select distinct opportunity_id from opportunity_stage_history)) s
    where o.id = s.id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger opportunity_stage_history_deleted on opportunity_stage_history`.execute(db);
  await sql`drop trigger opportunity_stage_history_updated on opportunity_stage_history`.execute(db);
  await sql`drop trigger opportunity_stage_history_inserted on opportunity_stage_history`.execute(db);
  await sql`drop function opportunity_stage_history_changed()`.execute(db);
  await sql`drop function opportunity_history_summary_refresh(uuid[])`.execute(db);
  await sql`drop function opportunity_history_summary(uuid[])`.execute(db);
  await db.schema
    .alterTable('opportunities')
    .dropColumn('done_stay_counts')
    .dropColumn('done_stay_micros')
    .dropColumn('done_stay_stages')
    .dropColumn('stages_entered')
    .execute();
}
