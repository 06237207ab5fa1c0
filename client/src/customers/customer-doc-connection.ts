/**
 * A ReactiveController holding one `customer:<id>` live document: the Y.Doc,
 * its y-websocket provider (same origin, `/yjs`), the connection status, the
 * fields and tags as plain values, and the people on the page (awareness).
 *
 * A refused update (close 4422, or 4400 / 1009 for a malformed or oversized
 * message) leaves the local document ahead of the server's; the controller then drops it and opens a fresh copy (bumping
 * `generation`, so editors bound to the old Y.Doc are rebuilt), and reports
 * why. Other final closes (4401, 4403, 4404, …) end in status `refused` with
 * `closeCode` set.
 */
import * as decoding from 'lib0/decoding';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName, DOC_CLOSE, type DocRefusalReason } from '../../../schema/wire/docs.ts';
import { type CustomerPresence, type Peer, parsePresence } from './customer-presence.ts';

export type DocStatus = 'connecting' | 'synced' | 'offline' | 'refused';

/** The y-protocols message type that carries a refusal (auth, "permission denied"). */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;
/** The longest gap between reconnection attempts. */
const MAX_BACKOFF_MS = 5000;
/** Transactions made by this page's own edits. */
export const LOCAL_EDIT = Symbol('customer-local-edit');

export interface CustomerDocEvents {
  /** An update of ours was refused; the document was reloaded from the server. */
  refused?(reason: DocRefusalReason): void;
  /** Fields or tags changed (locally or remotely). */
  changed?(remote: boolean): void;
  /** A peer changed contacts. */
  contactsChanged?(): void;
  /** Synced again after a reconnection (access may have changed meanwhile). */
  resynced?(): void;
}

function decodeRefusal(text: string): DocRefusalReason {
  try {
    const v = JSON.parse(text) as Partial<DocRefusalReason>;
    if (typeof v.message === 'string') return { code: String(v.code ?? 'validation'), message: v.message, field: v.field };
  } catch {
    // A plain-text reason.
  }
  return { code: 'validation', message: text };
}

export function docSocketBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
}

export class CustomerDocConnection implements ReactiveController {
  status: DocStatus = 'connecting';
  closeCode = 0;
  /** Bumped whenever a fresh Y.Doc replaces the old one. */
  generation = 0;
  fields: Record<string, string> = {};
  tags: string[] = [];
  peers: Peer[] = [];
  doc: Y.Doc | null = null;
  provider: WebsocketProvider | null = null;
  private customerId: string | null = null;
  private presence: CustomerPresence | null = null;
  private lastRefusal: DocRefusalReason | null = null;
  private connected = false;
  private peerContactsRev = new Map<number, number>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly events: CustomerDocEvents = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    if (this.customerId && !this.provider) this.setup();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.teardown();
  }

  open(customerId: string): void {
    if (this.customerId === customerId && this.provider) return;
    this.teardown();
    this.customerId = customerId;
    if (this.connected) this.setup();
  }

  /** Shares who we are and what we edit; kept across reconnections. */
  setPresence(presence: CustomerPresence): void {
    this.presence = presence;
    const awareness = this.provider?.awareness;
    if (!awareness) return;
    // Field by field, so y-prosemirror's `cursor` entry survives.
    awareness.setLocalStateField('user', presence.user);
    awareness.setLocalStateField('focus', presence.focus);
    awareness.setLocalStateField('contactsRev', presence.contactsRev);
  }

  setFocus(focus: string | null): void {
    if (!this.presence || this.presence.focus === focus) return;
    this.setPresence({ ...this.presence, focus });
  }

  announceContactsChanged(): void {
    if (this.presence) this.setPresence({ ...this.presence, contactsRev: this.presence.contactsRev + 1 });
  }

  setField(name: string, value: string): void {
    const doc = this.doc;
    if (!doc) return;
    const fields = doc.getMap<string>(CUSTOMER_ROOTS.fields);
    if (fields.get(name) === value) return;
    doc.transact(() => fields.set(name, value), LOCAL_EDIT);
  }

  setTag(tag: string, on: boolean): void {
    const doc = this.doc;
    if (!doc) return;
    const tags = doc.getMap<boolean>(CUSTOMER_ROOTS.tags);
    doc.transact(() => {
      if (on) tags.set(tag, true);
      else tags.delete(tag);
    }, LOCAL_EDIT);
  }

  /** Re-opens the document from the server (after a refusal, or on request). */
  resync(): void {
    this.teardown();
    if (this.connected && this.customerId) this.setup();
  }

  private read(): void {
    const doc = this.doc;
    if (!doc) return;
    const fields: Record<string, string> = {};
    doc.getMap<unknown>(CUSTOMER_ROOTS.fields).forEach((v, k) => {
      if (typeof v === 'string') fields[k] = v;
    });
    this.fields = fields;
    this.tags = [...doc.getMap<unknown>(CUSTOMER_ROOTS.tags).keys()].sort((a, b) => a.localeCompare(b));
  }

  private setup(): void {
    const customerId = this.customerId!;
    const doc = new Y.Doc();
    this.doc = doc;
    this.generation++;
    this.status = 'connecting';
    this.closeCode = 0;
    this.fields = {};
    this.tags = [];
    this.peers = [];
    this.peerContactsRev = new Map();
    const provider = new WebsocketProvider(docSocketBase(), customerDocName(customerId), doc, { maxBackoffTime: MAX_BACKOFF_MS });
    this.provider = provider;
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
      this.lastRefusal = decodeRefusal(decoding.readVarString(decoder));
    };
    if (this.presence) this.setPresence(this.presence);

    const onChange = (tx: Y.Transaction) => {
      this.read();
      this.events.changed?.(!tx.local);
      this.host.requestUpdate();
    };
    doc.getMap(CUSTOMER_ROOTS.fields).observe((_e, tx) => onChange(tx));
    doc.getMap(CUSTOMER_ROOTS.tags).observe((_e, tx) => onChange(tx));

    let syncedBefore = false;
    provider.on('sync', (synced: boolean) => {
      if (!synced || provider !== this.provider) return;
      this.status = 'synced';
      this.read();
      if (syncedBefore || this.generation > 1) this.events.resynced?.();
      syncedBefore = true;
      this.host.requestUpdate();
    });
    provider.on('status', ({ status }: { status: string }) => {
      if (provider !== this.provider) return;
      if (status === 'disconnected' && this.status !== 'refused') this.status = 'offline';
      if (status === 'connecting' && this.status === 'offline') this.status = 'connecting';
      if (status === 'connected' && this.status === 'offline') this.status = 'connecting';
      this.host.requestUpdate();
    });
    provider.on('closed', ({ code }: { code: number }) => {
      if (provider !== this.provider) return;
      // Our copy holds an edit the server will never take: start over from the server's state.
      if (code === DOC_CLOSE.updateRefused || code === DOC_CLOSE.badMessage || code === DOC_CLOSE.tooLarge) {
        const reason = this.lastRefusal ?? { code: code === DOC_CLOSE.tooLarge ? 'payload_too_large' : 'validation', message: '' };
        this.lastRefusal = null;
        this.resync();
        this.events.refused?.(reason);
        this.host.requestUpdate();
        return;
      }
      this.status = 'refused';
      this.closeCode = code;
      this.host.requestUpdate();
    });
    provider.awareness.on('change', () => {
      if (provider !== this.provider) return;
      const peers: Peer[] = [];
      let contactsChanged = false;
      provider.awareness.getStates().forEach((state, clientId) => {
        if (clientId === doc.clientID) return;
        const p = parsePresence(state);
        if (!p) return;
        peers.push({ ...p, clientId });
        const seen = this.peerContactsRev.get(clientId);
        if (seen !== undefined && seen !== p.contactsRev) contactsChanged = true;
        this.peerContactsRev.set(clientId, p.contactsRev);
      });
      this.peers = peers;
      if (contactsChanged) this.events.contactsChanged?.();
      this.host.requestUpdate();
    });
  }

  private teardown(): void {
    this.provider?.awareness.setLocalState(null);
    this.provider?.destroy();
    this.doc?.destroy();
    this.provider = null;
    this.doc = null;
  }
}
