/**
 * Dates and times in the API: ISO 8601, in the years both PostgreSQL and JavaScript hold
 * (0001–9999). Year 0000 passes a plain ISO pattern and JavaScript's parser but not
 * PostgreSQL's, and a time past 9999 in another offset is a different year in UTC; both were
 * 500s from the database. One definition for every schema.
 */
import { z } from 'zod';

const utc = (year: number) => {
  const t = new Date(0);
  t.setUTCFullYear(year, 0, 1);
  return t.getTime();
};
/** First and first-after-last instants accepted. */
const EARLIEST_MS = utc(1);
const END_MS = utc(10_000);

export const isInDateRange = (ms: number): boolean => ms >= EARLIEST_MS && ms < END_MS;

/** A calendar date `YYYY-MM-DD` that exists, from 0001-01-01 to 9999-12-31. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
  .refine((s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(ms) && isInDateRange(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  }, 'No such date');

/** A date and time with its offset (`Z` or `±hh:mm`), within the years 1–9999 in UTC. */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .refine((s) => isInDateRange(Date.parse(s)), 'must be a time between the years 1 and 9999');
