/** The `Database` interface: an index of tables, nothing else. */
import type { AuditLogTable } from './tables/audit-log.table.ts';
import type { ContactTable, CustomerTable } from './tables/customer.table.ts';
import type { SessionTable } from './tables/session.table.ts';
import type { TeamTable } from './tables/team.table.ts';
import type { UserTable } from './tables/user.table.ts';

export interface Database {
  teams: TeamTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  customers: CustomerTable;
  contacts: ContactTable;
}
