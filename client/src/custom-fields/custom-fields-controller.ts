/**
 * The active custom field definitions of one entity, for an element that shows or asks for
 * custom values: fetched when the host connects, again on `customFields:changed` for that entity
 * and after a reconnection (a change may have been missed). Without them the host still works:
 * the values it holds are kept as they are, and the server checks what is sent.
 */
import { msg } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CustomFieldDto, CustomFieldEntity } from '../../../schema/wire/custom-fields.ts';
import { listCustomFields } from '../api/custom-fields.ts';
import { SocketController } from '../realtime/socket-controller.ts';

export class CustomFieldsController implements ReactiveController {
  /** Every active definition of the entity the user may read (workspace and team fields). */
  fields: readonly CustomFieldDto[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly entity: CustomFieldEntity,
  ) {
    host.addController(this);
    new SocketController(host, {
      on: { 'customFields:changed': (e) => e.entity === entity && void this.load() },
      onConnect: (_s, reconnected) => reconnected && void this.load(),
    });
  }

  hostConnected(): void {
    void this.load();
  }

  /** The fields that apply to a record of `teamId`: the workspace's and that team's. */
  ofTeam(teamId: string | null): CustomFieldDto[] {
    return this.fields.filter((f) => f.teamId === null || f.teamId === teamId);
  }

  /** A custom value the server refused (`custom.<key>`): what the field takes, in the user's language. */
  problem(field: string): string {
    const def = this.fields.find((f) => `custom.${f.key}` === field);
    if (!def) return msg('This field no longer exists; reload the page.', { id: 'contacts.customGone' });
    if (def.type === 'user') return msg('Choose an active member of the customer’s team.', { id: 'contacts.customUser' });
    return msg('This value is not accepted.', { id: 'customers.error.invalid' });
  }

  private async load(): Promise<void> {
    try {
      this.fields = await listCustomFields(this.entity);
      this.host.requestUpdate();
    } catch {
      // Kept as they were; the next change event or reconnection tries again.
    }
  }
}
