/** The `Database` interface: an index of tables, nothing else. */
import type { ActivityTable } from './tables/activity.table.ts';
import type { ContractTable } from './tables/contract.table.ts';
import type { AttachmentContentTable, AttachmentTable } from './tables/attachment.table.ts';
import type { AuditLogTable } from './tables/audit-log.table.ts';
import type { CustomFieldDefinitionTable } from './tables/custom-field.table.ts';
import type { CustomerCategoryTable } from './tables/customer-category.table.ts';
import type { CustomerImportChangeTable, CustomerImportChunkTable, CustomerImportFollowupTable, CustomerImportTable } from './tables/customer-import.table.ts';
import type { ContactTable, CustomerTable } from './tables/customer.table.ts';
import type { DocProjectionTable, DocSnapshotTable, DocUpdateTable } from './tables/doc.table.ts';
import type { IdempotencyKeyTable } from './tables/idempotency-key.table.ts';
import type { LeadTable } from './tables/lead.table.ts';
import type { LostReasonTable } from './tables/lost-reason.table.ts';
import type { HandoverChangeTable, HandoverTable } from './tables/handover.table.ts';
import type { FollowupReminderTable, NotificationTable } from './tables/notification.table.ts';
import type {
  OpportunityStageHistoryTable,
  OpportunityTable,
  OrderTable,
  QuoteTable,
} from './tables/opportunity.table.ts';
import type { PipelineMeetingTable, PipelineStageTable, PipelineTable, PipelineTeamTable } from './tables/pipeline.table.ts';
import type { SavedFilterTable } from './tables/saved-filter.table.ts';
import type { ServiceRecordTable } from './tables/service-record.table.ts';
import type { SessionTable } from './tables/session.table.ts';
import type { TaskTable } from './tables/task.table.ts';
import type { TeamTable } from './tables/team.table.ts';
import type {
  PasswordResetTokenTable,
  TotpRecoveryCodeTable,
  UserTotpTable,
  WorkspaceSettingsTable,
} from './tables/two-factor.table.ts';
import type { UserTable } from './tables/user.table.ts';

export interface Database {
  activities: ActivityTable;
  teams: TeamTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  customers: CustomerTable;
  contacts: ContactTable;
  doc_updates: DocUpdateTable;
  doc_snapshots: DocSnapshotTable;
  doc_projections: DocProjectionTable;
  customer_imports: CustomerImportTable;
  customer_import_chunks: CustomerImportChunkTable;
  customer_import_changes: CustomerImportChangeTable;
  customer_import_followups: CustomerImportFollowupTable;
  customer_categories: CustomerCategoryTable;
  custom_field_definitions: CustomFieldDefinitionTable;
  saved_filters: SavedFilterTable;
  tasks: TaskTable;
  notifications: NotificationTable;
  followup_reminders: FollowupReminderTable;
  pipelines: PipelineTable;
  pipeline_teams: PipelineTeamTable;
  pipeline_stages: PipelineStageTable;
  pipeline_meetings: PipelineMeetingTable;
  opportunities: OpportunityTable;
  opportunity_stage_history: OpportunityStageHistoryTable;
  quotes: QuoteTable;
  orders: OrderTable;
  contracts: ContractTable;
  idempotency_keys: IdempotencyKeyTable;
  service_records: ServiceRecordTable;
  leads: LeadTable;
  attachments: AttachmentTable;
  attachment_contents: AttachmentContentTable;
  user_totp: UserTotpTable;
  totp_recovery_codes: TotpRecoveryCodeTable;
  password_reset_tokens: PasswordResetTokenTable;
  workspace_settings: WorkspaceSettingsTable;
  lost_reasons: LostReasonTable;
  handovers: HandoverTable;
  handover_changes: HandoverChangeTable;
}
