/**
 * The @mention suggestion list of a text field (follow-up textarea, notes
 * editor): the host tells it the text before the caret after every change and
 * hands it key presses; it decides whether the list is open, which teammate
 * is active (ArrowUp/ArrowDown), and which one Enter or Tab picks; Escape
 * closes it until the query changes. The list renders in the host's own
 * shadow root so the field can point at the active option
 * (`aria-activedescendant`).
 */
import { msg } from '@lit/localize';
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { matchMentionUsers, type MentionQuery, mentionQueryAt, type MentionUser } from './mention-suggest.ts';

let lists = 0;

export class MentionSuggestController implements ReactiveController {
  /** The `@query` being typed, while the list may show. */
  query: MentionQuery | null = null;
  items: MentionUser[] = [];
  active = 0;
  readonly listId = `mention-list-${++lists}`;
  /** Escape closes the list for this `@` until its query changes. */
  private dismissed: MentionQuery | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly users: () => readonly MentionUser[],
  ) {
    host.addController(this);
  }

  get open(): boolean {
    return this.query !== null && this.items.length > 0;
  }

  /** The id of the active option, for `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.open ? `${this.listId}-${this.active}` : undefined;
  }

  hostConnected(): void {}

  /** After every edit or caret move: the text from the start of the field (or block) to the caret. */
  update(before: string): void {
    const query = mentionQueryAt(before);
    const same = query && this.dismissed && query.start === this.dismissed.start && query.query === this.dismissed.query;
    if (!query || same) {
      this.close(false);
      return;
    }
    this.dismissed = null;
    const changed = query.query !== this.query?.query || query.start !== this.query?.start;
    this.query = query;
    this.items = matchMentionUsers(query.query, this.users());
    if (changed) this.active = 0;
    this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
    this.host.requestUpdate();
  }

  close(dismiss = true): void {
    if (dismiss && this.query) this.dismissed = this.query;
    if (!this.query && this.items.length === 0) return;
    this.query = null;
    this.items = [];
    this.host.requestUpdate();
  }

  /**
   * A key pressed in the field while the list is open. Answers the teammate
   * Enter or Tab picked, 'handled' for the keys it consumed (the caller
   * prevents their default), or null for keys that are the field's.
   */
  keydown(e: KeyboardEvent): MentionUser | 'handled' | null {
    if (!this.open || e.isComposing) return null;
    switch (e.key) {
      case 'ArrowDown':
        this.active = (this.active + 1) % this.items.length;
        this.host.requestUpdate();
        return 'handled';
      case 'ArrowUp':
        this.active = (this.active - 1 + this.items.length) % this.items.length;
        this.host.requestUpdate();
        return 'handled';
      case 'Enter':
      case 'Tab':
        return this.items[this.active] ?? null;
      case 'Escape':
        this.close();
        return 'handled';
      default:
        return null;
    }
  }

  /** The list, below the field; a click picks like Enter. */
  render(pick: (u: MentionUser) => void) {
    if (!this.open) return nothing;
    return html`<ul class="mention-list" role="listbox" id=${this.listId} aria-label=${msg('Mention a teammate', { id: 'mentions.listLabel' })}>
      ${this.items.map(
        (u, i) => html`<li
          role="option"
          id="${this.listId}-${i}"
          aria-selected=${i === this.active ? 'true' : 'false'}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${() => pick(u)}
        >
          <span class="mention-name">${u.name}</span>
          <span class="mention-email">${u.email}</span>
        </li>`,
      )}
    </ul>`;
  }
}

/** Styles of the list; the host positions `.mention-anchor` (relative) around the field. */
export const mentionListStyles = css`
  .mention-anchor {
    position: relative;
  }
  .mention-list {
    position: absolute;
    z-index: 20;
    left: 0;
    top: 100%;
    margin: 4px 0 0;
    padding: 4px 0;
    list-style: none;
    min-width: min(280px, 100%);
    max-width: 100%;
    background: var(--t-surface);
    border: 1px solid var(--t-border-strong);
    border-radius: var(--t-radius-sm);
    box-shadow: var(--t-shadow);
  }
  .mention-list li {
    /* Reset list-item styles of the host (the follow-up timeline's). */
    border: 0;
    margin: 0;
    border-radius: 0;
    background: none;
    display: flex;
    gap: var(--t-space-2);
    align-items: baseline;
    padding: 6px var(--t-space-3);
    cursor: pointer;
    min-height: 36px;
  }
  .mention-list li[aria-selected='true'] {
    background: var(--t-primary-soft);
    color: var(--t-primary);
  }
  .mention-name {
    font-weight: 600;
    white-space: nowrap;
  }
  .mention-email {
    color: var(--t-muted);
    font-size: var(--t-font-size-sm);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;
