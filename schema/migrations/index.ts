import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.ts';
import * as m0002 from './0002_customers.ts';
import * as m0003 from './0003_documents.ts';
import * as m0004 from './0004_customer_search.ts';
import * as m0005 from './0005_notifications_tasks.ts';
import * as m0006 from './0006_customer_search_tokens.ts';
import * as m0010 from './0010_pipelines.ts';
import * as m0011 from './0011_pipeline_meetings.ts';
import * as m0020 from './0020_activities_reports.ts';
import * as m0021 from './0021_report_indexes.ts';
import * as m0022 from './0022_mention_snippets.ts';
import * as m0023 from './0023_opportunity_stages_entered.ts';
import * as m0030 from './0030_doc_projections.ts';
import * as m0040 from './0040_idempotency_keys.ts';
import * as m0041 from './0041_security_events.ts';
import * as m0050 from './0050_leads.ts';
import * as m0051 from './0051_service_records.ts';
import * as m0052 from './0052_attachments.ts';
import * as m0060 from './0060_totp_password_reset.ts';
import * as m0070 from './0070_custom_fields.ts';
import * as m0080 from './0080_contracts.ts';
import * as m0083 from './0083_handovers.ts';
import * as m0084 from './0084_admin_lists.ts';
import * as m0086 from './0086_import_jobs.ts';
import * as m0087 from './0087_contact_custom_fields.ts';
import * as m0088 from './0088_opportunity_custom_fields.ts';
import * as m0089 from './0089_import_job_claims.ts';
import * as m0090 from './0090_customers_fillfactor.ts';

/** Every migration, in order. Migrations are frozen: add a new file, never edit one that shipped. */
export const migrations: Record<string, Migration> = {
  '0001_accounts': m0001,
  '0002_customers': m0002,
  '0003_documents': m0003,
  '0004_customer_search': m0004,
  '0005_notifications_tasks': m0005,
  '0006_customer_search_tokens': m0006,
  '0010_pipelines': m0010,
  '0011_pipeline_meetings': m0011,
  '0020_activities_reports': m0020,
  '0021_report_indexes': m0021,
  '0022_mention_snippets': m0022,
  '0023_opportunity_stages_entered': m0023,
  '0030_doc_projections': m0030,
  '0040_idempotency_keys': m0040,
  '0041_security_events': m0041,
  '0050_leads': m0050,
  '0051_service_records': m0051,
  '0052_attachments': m0052,
  '0060_totp_password_reset': m0060,
  '0070_custom_fields': m0070,
  '0080_contracts': m0080,
  '0083_handovers': m0083,
  '0084_admin_lists': m0084,
  '0086_import_jobs': m0086,
  '0087_contact_custom_fields': m0087,
  '0088_opportunity_custom_fields': m0088,
  '0089_import_job_claims': m0089,
  '0090_customers_fillfactor': m0090,
};
