import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ServiceChannel, ServiceStatus, ServiceType } from '../wire/service-records.ts';

/** After-sales feedback and service records of a customer (0051). */
export interface ServiceRecordTable {
  id: Generated<string>;
  /** The customer's team. */
  team_id: string;
  customer_id: string;
  type: ServiceType;
  channel: Generated<ServiceChannel>;
  title: string;
  description: Generated<string>;
  status: Generated<ServiceStatus>;
  assignee_id: string | null;
  due_at: Date | null;
  /** Set when the record is resolved or closed, cleared when it is reopened. */
  resolved_at: Date | null;
  resolution: Generated<string>;
  /** 1–5, only on a resolved or closed record. */
  satisfaction: number | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ServiceRecordRow = Selectable<ServiceRecordTable>;
export type NewServiceRecordRow = Insertable<ServiceRecordTable>;
export type ServiceRecordUpdate = Updateable<ServiceRecordTable>;
