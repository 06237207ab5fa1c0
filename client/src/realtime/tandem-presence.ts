/**
 * Avatars of the other people viewing a presence resource (`customers`, the
 * team's customer list, or `board:<id>`), over the shared Socket.IO
 * connection. Joins on connect (and again after a reconnection), leaves when
 * removed; the server cleans up after a closed tab by itself.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { peerColor } from '../../../schema/wire/presence.ts';
import type { PresenceResource, PresenceUser } from '../../../schema/wire/socket-events.ts';
import { sessionContext } from '../app/contexts.ts';
import { base } from '../ui/styles.ts';
import { SocketController, type TandemSocket } from './socket-controller.ts';

/** Avatars shown before "+n". */
const AVATARS_MAX = 5;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  // Chinese names: the given name's first character reads better than the surname alone.
  if (parts.length === 1) return Array.from(parts[0]!).slice(0, 2).join('').toUpperCase();
  return (Array.from(parts[0]!)[0]! + Array.from(parts[parts.length - 1]!)[0]!).toUpperCase();
}

export class TandemPresence extends LitElement {
  static override properties = { resource: { type: String }, users: { state: true } };
  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
      }
      .avatars {
        display: flex;
        align-items: center;
        padding-left: 6px;
      }
      .avatar {
        display: grid;
        place-items: center;
        width: 30px;
        height: 30px;
        margin-left: -6px;
        border-radius: 50%;
        border: 2px solid var(--t-surface);
        color: #fff;
        font-size: 11px;
        font-weight: 650;
      }
      .more {
        background: var(--t-surface-2);
        color: var(--t-muted);
      }
    `,
  ];
  declare resource: PresenceResource;
  declare users: readonly PresenceUser[];
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private joined: PresenceResource | null = null;
  private readonly socket = new SocketController(this, {
    on: {
      presence: (p) => {
        if (p.resource === this.resource) this.users = p.users;
      },
    },
    onConnect: (socket) => void this.join(socket),
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.resource = 'customers';
    this.users = [];
  }

  override disconnectedCallback(): void {
    this.leave();
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('resource') && this.joined !== null && this.joined !== this.resource) {
      this.leave();
      const socket = this.socket.socket;
      if (socket?.connected) void this.join(socket);
    }
  }

  private async join(socket: TandemSocket): Promise<void> {
    const resource = this.resource;
    this.joined = resource;
    const ack = await socket.emitWithAck('presence:join', { resource }).catch(() => null);
    if (ack?.ok && this.joined === resource) this.users = ack.data.users;
  }

  private leave(): void {
    const resource = this.joined;
    this.joined = null;
    this.users = [];
    const socket = this.socket.socket;
    if (resource && socket?.connected) socket.emit('presence:leave', { resource }, () => undefined);
  }

  override render() {
    const me = this.session.value?.user.id;
    const others = this.users.filter((u) => u.id !== me);
    if (others.length === 0) return nothing;
    const names = others.map((u) => u.name).join(', ');
    const shown = others.slice(0, AVATARS_MAX);
    const more = others.length - shown.length;
    return html`<div class="avatars" role="img" aria-label=${msg(str`Also viewing: ${names}`, { id: 'presence.alsoViewing' })}>
      ${shown.map(
        (u) => html`<span class="avatar" data-user-id=${u.id} title=${u.name} style="background:${peerColor(u.id)}" aria-hidden="true">${initials(u.name)}</span>`,
      )}
      ${more > 0 ? html`<span class="avatar more" aria-hidden="true">+${more}</span>` : nothing}
    </div>`;
  }
}

customElements.define('tandem-presence', TandemPresence);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-presence': TandemPresence;
  }
}
