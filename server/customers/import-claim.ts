/**
 * Claims on import jobs, so that of several nodes sharing one database exactly one runs each
 * job (docs/customers.md, "Jobs on several nodes"). A run takes the job with a lease
 * (`customer_imports.claimed_by`, `claimed_until`, on the database's clock), renews it while it
 * works, and every batch's commit checks that it still holds it. A node that dies stops
 * renewing: once the lease has run out, any node continues the job after its last committed
 * line.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { type ImportClaimHold, renewImportClaim } from './customer-import.repository.ts';

/** How long a claim holds without renewal: how long a dead node's job waits before another node continues it. */
export const IMPORT_CLAIM_LEASE_MS = 60_000;
/** Renewals per lease: a run renews every lease / this, so a slow renewal or two never loses the job. */
const RENEWALS_PER_LEASE = 4;

/** A new claim for one run of a job (an upload, then its job). */
export function newImportClaim(leaseMs = IMPORT_CLAIM_LEASE_MS): ImportClaimHold {
  return { token: randomUUID(), leaseMs };
}

/**
 * Keeps a claim alive while a run works, in the background. `lost` turns true when the
 * database says another run holds the job now; the run then stops between batches (and the
 * batch in flight is refused at its commit).
 */
export class ImportLease {
  lost = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly ctx: AppContext,
    readonly importId: string,
    readonly hold: ImportClaimHold,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(hold.leaseMs / RENEWALS_PER_LEASE)));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      if (!(await renewImportClaim(this.ctx.db, this.importId, this.hold))) this.lost = true;
    } catch (err) {
      // A database that does not answer now may answer the next time; the commit checks the claim anyway.
      this.ctx.log.warn({ err, importId: this.importId }, 'renewing an import claim failed');
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
