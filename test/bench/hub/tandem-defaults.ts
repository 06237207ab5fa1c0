/** Where the benchmark creates (and drops) Tandem's PostgreSQL databases unless BENCH_DATABASE_URL or TEST_DATABASE_URL says otherwise. */
export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The PostgreSQL server benchmarks create their databases on. */
export const benchPostgresUrl = (): string =>
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;

/** Where Tandem's nodes publish to each other unless BENCH_REDIS_URL says otherwise (each run under a key prefix of its own). */
export const DEFAULT_BENCH_REDIS_URL = 'redis://127.0.0.1:6379';

export const benchRedisUrl = (): string => process.env.BENCH_REDIS_URL || DEFAULT_BENCH_REDIS_URL;
