/**
 * The shared rich-text account notes: a ProseMirror editor bound to the
 * document's `notes` XmlFragment by y-prosemirror (sync, remote cursors with
 * names, and an undo that only undoes this user's own changes). Give it the
 * Y.Doc and the awareness of its DocController; it rebuilds when either changes.
 * Fires `field-focus` with 'notes' or null. Typing `@` offers the teammates in
 * `users` (mention-suggest-controller.ts); the pick is written as `@Name`.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { baseKeymap, setBlockType, toggleMark } from 'prosemirror-commands';
import { keymap } from 'prosemirror-keymap';
import { schema } from 'prosemirror-schema-basic';
import { EditorState, Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CUSTOMER_ROOTS } from '../../../schema/wire/docs.ts';
import { base, buttons } from '../ui/styles.ts';
import { readAwarenessUser } from '../realtime/doc-peers.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { mentionListStyles, MentionSuggestController } from './mention-suggest-controller.ts';
import { mentionText, type MentionUser } from './mention-suggest.ts';

/** A remote cursor: a coloured caret with the person's name, built from checked presence only. */
function cursorBuilder(state: unknown): HTMLElement {
  const user = readAwarenessUser({ user: state });
  const color = user?.color ?? '#888888';
  const cursor = document.createElement('span');
  cursor.className = 'ProseMirror-yjs-cursor';
  cursor.style.borderColor = color;
  const label = document.createElement('div');
  label.style.backgroundColor = color;
  label.textContent = user?.name ?? '';
  cursor.append('\u2060', label, '\u2060');
  return cursor;
}

/**
 * y-prosemirror measures the local selection with `view.root.createRange()`,
 * which exists on Document but not on ShadowRoot; inside a shadow root every
 * remote update arriving while the editor has focus would throw. A Range from
 * the document spans shadow trees, so the root gets that.
 */
function supportRangesIn(root: Node): void {
  if (root instanceof ShadowRoot && !('createRange' in root)) {
    Object.defineProperty(root, 'createRange', { value: () => document.createRange() });
  }
}

export class TandemCustomerNotes extends LitElement {
  static override properties = {
    doc: { attribute: false },
    awareness: { attribute: false },
    readonly: { type: Boolean },
    users: { attribute: false },
  };
  static override styles = [
    base,
    buttons,
    mentionListStyles,
    css`
      .toolbar {
        display: flex;
        gap: 4px;
        margin-bottom: var(--t-space-2);
      }
      .toolbar button {
        min-height: 28px;
        padding: 0 var(--t-space-2);
        font-size: var(--t-font-size-sm);
      }
      .editor {
        border: 1px solid var(--t-border-strong);
        border-radius: var(--t-radius-sm);
        background: var(--t-surface);
        min-height: 160px;
        max-height: 480px;
        overflow: auto;
      }
      .editor:focus-within {
        border-color: var(--t-primary);
        box-shadow: var(--t-focus-ring);
      }
      .ProseMirror {
        position: relative;
        min-height: 158px;
        padding: var(--t-space-3);
        outline: none;
        white-space: pre-wrap;
        word-wrap: break-word;
        font-variant-ligatures: none;
        line-height: 1.6;
      }
      .ProseMirror p {
        margin: 0 0 0.5em;
      }
      .ProseMirror h2,
      .ProseMirror h3 {
        margin: 0.4em 0;
      }
      .ProseMirror-yjs-cursor {
        position: relative;
        margin-left: -1px;
        margin-right: -1px;
        border-left: 1px solid black;
        border-right: 1px solid black;
        border-color: orange;
        word-break: normal;
        pointer-events: none;
      }
      .ProseMirror-yjs-cursor > div {
        position: absolute;
        top: -1.3em;
        left: -1px;
        font-size: 12px;
        font-weight: 600;
        line-height: normal;
        user-select: none;
        color: white;
        padding: 0 4px;
        border-radius: 3px;
        white-space: nowrap;
      }
      .ProseMirror-yjs-selection {
        opacity: 0.9;
      }
    `,
  ];
  declare doc: Y.Doc | null;
  declare awareness: Awareness | null;
  declare readonly: boolean;
  /** Who `@` suggests (the customer's team). */
  declare users: readonly UserDto[];
  private view: EditorView | null = null;
  private readonly mentions = new MentionSuggestController(this, () => this.users.filter((u) => u.active));

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.doc = null;
    this.awareness = null;
    this.readonly = false;
    this.users = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.view?.destroy();
    this.view = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.build();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('doc') || changed.has('awareness')) this.build();
    else if (changed.has('readonly')) this.view?.setProps({ editable: () => !this.readonly });
  }

  private build(): void {
    this.view?.destroy();
    this.view = null;
    const mount = this.renderRoot.querySelector<HTMLElement>('.editor');
    if (!mount || !this.doc || !this.awareness) return;
    mount.replaceChildren();
    supportRangesIn(this.renderRoot);
    const fragment = this.doc.getXmlFragment(CUSTOMER_ROOTS.notes);
    const state = EditorState.create({
      schema,
      plugins: [
        ySyncPlugin(fragment),
        yCursorPlugin(this.awareness, { cursorBuilder }),
        yUndoPlugin(),
        this.mentionPlugin(),
        keymap({
          'Mod-z': undo,
          'Mod-y': redo,
          'Mod-Shift-z': redo,
          'Mod-b': toggleMark(schema.marks.strong),
          'Mod-i': toggleMark(schema.marks.em),
        }),
        keymap(baseKeymap),
      ],
    });
    this.view = new EditorView(mount, {
      state,
      editable: () => !this.readonly,
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': msg('Account notes', { id: 'customer.notes' }),
        'data-testid': 'notes-editor',
        'aria-autocomplete': 'list',
        'aria-controls': this.mentions.listId,
      },
      handleDOMEvents: {
        focus: () => {
          this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: 'notes', bubbles: true, composed: true }));
          return false;
        },
        blur: () => {
          this.dispatchEvent(new CustomEvent<string | null>('field-focus', { detail: null, bubbles: true, composed: true }));
          return false;
        },
      },
    });
  }

  /** Feeds the text before the caret to the suggestions and gives them the keys first while the list is open. */
  private mentionPlugin(): Plugin {
    return new Plugin({
      view: () => ({
        update: (view) => {
          const { $from, empty } = view.state.selection;
          if (!empty || !view.hasFocus()) this.mentions.close(false);
          else this.mentions.update($from.parent.textBetween(0, $from.parentOffset, undefined, '\ufffc'));
          this.syncActiveDescendant();
        },
      }),
      props: {
        handleKeyDown: (view, event) => {
          const picked = this.mentions.keydown(event);
          if (!picked) return false;
          if (picked !== 'handled') this.insertMention(view, picked);
          this.syncActiveDescendant();
          return true;
        },
        handleDOMEvents: {
          blur: () => {
            this.mentions.close(false);
            return false;
          },
        },
      },
    });
  }

  private syncActiveDescendant(): void {
    const dom = this.view?.dom;
    if (!dom) return;
    const active = this.mentions.activeId;
    dom.setAttribute('aria-expanded', active ? 'true' : 'false');
    if (active) dom.setAttribute('aria-activedescendant', active);
    else dom.removeAttribute('aria-activedescendant');
  }

  /** Replaces the `@query` before the caret with the teammate's mention. */
  private insertMention(view: EditorView | null, u: MentionUser): void {
    const query = this.mentions.query;
    if (!view || !query || this.readonly) return;
    const { from } = view.state.selection;
    view.dispatch(view.state.tr.insertText(mentionText(u), from - (query.query.length + 1), from));
    this.mentions.close(false);
    this.syncActiveDescendant();
    view.focus();
  }

  private run(command: (state: EditorState, dispatch?: EditorView['dispatch']) => boolean): void {
    const view = this.view;
    if (!view || this.readonly) return;
    command(view.state, view.dispatch);
    view.focus();
  }

  override render() {
    return html`<div class="toolbar" role="toolbar" aria-label=${msg('Formatting', { id: 'customer.notes.formatting' })}>
        <button type="button" ?disabled=${this.readonly} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.run(toggleMark(schema.marks.strong))}>
          <strong>${msg('Bold', { id: 'customer.notes.bold' })}</strong>
        </button>
        <button type="button" ?disabled=${this.readonly} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.run(toggleMark(schema.marks.em))}>
          <em>${msg('Italic', { id: 'customer.notes.italic' })}</em>
        </button>
        <button
          type="button"
          ?disabled=${this.readonly}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${() => this.run(setBlockType(schema.nodes.heading, { level: 3 }))}
        >
          ${msg('Heading', { id: 'customer.notes.heading' })}
        </button>
        <button type="button" ?disabled=${this.readonly} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.run(setBlockType(schema.nodes.paragraph))}>
          ${msg('Text', { id: 'customer.notes.paragraph' })}
        </button>
      </div>
      <div class="mention-anchor">
        <div class="editor"></div>
        ${this.mentions.render((u) => this.insertMention(this.view, u))}
      </div>`;
  }
}

customElements.define('tandem-customer-notes', TandemCustomerNotes);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-notes': TandemCustomerNotes;
  }
}
