/**
 * The customer page's view of its `customer:<id>` document, a thin layer over
 * the one DocController (which owns the connection, status, refusals and
 * awareness): the fields and tags as plain values, writes into them, and the
 * people on the page with the field each is editing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../../schema/wire/docs.ts';
import { DocController, type DocPeer, type DocUser } from '../realtime/doc-controller.ts';
import { CUSTOMER_PRESENCE, customerPeer, type Peer } from './customer-presence.ts';

export interface CustomerDocEvents {
  /** Fields or tags changed (`remote`: by someone else, or the server's compensation). */
  changed?(remote: boolean): void;
  /** A peer changed contacts. */
  contactsChanged?(): void;
  /** Synced again after a reconnection, or for the first time after opening the local copy (the record may have changed meanwhile). */
  resynced?(): void;
}

export class CustomerLiveDoc implements ReactiveController {
  readonly live: DocController;
  fields: Readonly<Record<string, string>> = {};
  tags: readonly string[] = [];
  peers: readonly Peer[] = [];
  private focus: string | null = null;
  private contactsRev = 0;
  private seenPeers: readonly DocPeer[] = [];
  private peerContactsRev = new Map<number, number>();
  private unbind: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: CustomerDocEvents = {},
  ) {
    host.addController(this);
    this.live = new DocController(host, {
      onDoc: (doc) => this.bind(doc),
      onSync: (first) => {
        // A first sync after opening from this device's copy is a return as well (docs/offline.md).
        if (!first || this.live.localLoaded) this.events.resynced?.();
      },
    });
    this.bind(this.live.doc);
  }

  get doc(): Y.Doc {
    return this.live.doc;
  }

  open(customerId: string, user: DocUser | null): void {
    this.live.setUser(user);
    this.live.open(customerDocName(customerId));
  }

  /** The peers as the page shows them, derived when the controller's list changes. */
  hostUpdate(): void {
    if (this.live.peers === this.seenPeers) return;
    this.seenPeers = this.live.peers;
    const peers = this.live.peers.map(customerPeer);
    let contactsChanged = false;
    const revs = new Map<number, number>();
    for (const p of peers) {
      const seen = this.peerContactsRev.get(p.clientId);
      if (seen !== undefined && seen !== p.contactsRev) contactsChanged = true;
      revs.set(p.clientId, p.contactsRev);
    }
    this.peerContactsRev = revs;
    this.peers = peers;
    if (contactsChanged) this.events.contactsChanged?.();
  }

  setFocus(focus: string | null): void {
    if (this.focus === focus) return;
    this.focus = focus;
    this.live.setLocalField(CUSTOMER_PRESENCE.focus, focus);
  }

  announceContactsChanged(): void {
    this.live.setLocalField(CUSTOMER_PRESENCE.contactsRev, ++this.contactsRev);
  }

  setField(name: string, value: string): void {
    // A new value answers an earlier refusal of this field.
    this.live.dismissRefusal(name);
    const fields = this.doc.getMap<string>(CUSTOMER_ROOTS.fields);
    if (fields.get(name) !== value) fields.set(name, value);
  }

  setTag(tag: string, on: boolean): void {
    this.live.dismissRefusal(CUSTOMER_ROOTS.tags);
    const tags = this.doc.getMap<boolean>(CUSTOMER_ROOTS.tags);
    if (on) tags.set(tag, true);
    else tags.delete(tag);
  }

  private bind(doc: Y.Doc): void {
    this.unbind?.();
    const fields = doc.getMap<unknown>(CUSTOMER_ROOTS.fields);
    const tags = doc.getMap<unknown>(CUSTOMER_ROOTS.tags);
    const onChange = (_e: unknown, tx: Y.Transaction) => {
      this.read(doc);
      this.events.changed?.(!tx.local);
      this.host.requestUpdate();
    };
    fields.observe(onChange);
    tags.observe(onChange);
    this.unbind = () => {
      fields.unobserve(onChange);
      tags.unobserve(onChange);
    };
    this.read(doc);
  }

  private read(doc: Y.Doc): void {
    const fields: Record<string, string> = {};
    doc.getMap<unknown>(CUSTOMER_ROOTS.fields).forEach((v, k) => {
      if (typeof v === 'string') fields[k] = v;
    });
    this.fields = fields;
    this.tags = [...doc.getMap<unknown>(CUSTOMER_ROOTS.tags).keys()].sort((a, b) => a.localeCompare(b));
  }
}
