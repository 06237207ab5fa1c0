export const SERVER_OUT: string;
/** Bundles `entry` (a path from the project's root) into `outfile`; packages stay imports. */
export function buildServer(entry: string, outfile: string): Promise<void>;
/** Builds the server unless dist/server/main.mjs is newer than every source file. */
export function ensureServerBuilt(): Promise<void>;
/** The newest modification time of the files below `dir`. */
export function newest(dir: string): number;
