/**
 * The workspace's admin-managed lists on one page (/admin/lists): customer categories, tags,
 * teams and lost reasons, each a section with its own loading, empty and error states.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { base } from '../ui/styles.ts';
import './tandem-categories-admin.ts';
import './tandem-lost-reasons-admin.ts';
import './tandem-tags-admin.ts';
import './tandem-teams-admin.ts';

export class TandemListsPage extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 1100px;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2) var(--t-space-4);
      }
      nav a {
        white-space: nowrap;
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  private jump(e: Event, id: string): void {
    e.preventDefault();
    const target = this.renderRoot.querySelector<HTMLElement>(`#${id}`);
    target?.scrollIntoView({ block: 'start' });
    target?.focus();
  }

  override render() {
    const sections = [
      ['list-categories', msg('Customer categories', { id: 'lists.categories.title' })],
      ['list-tags', msg('Tags', { id: 'lists.tags.title' })],
      ['list-teams', msg('Teams', { id: 'admin.teams' })],
      ['list-lost', msg('Lost reasons', { id: 'lists.lost.title' })],
    ] as const;
    return html`<nav aria-label=${msg('Lists on this page', { id: 'lists.sections' })}>
        <ul>
          ${sections.map(([id, label]) => html`<li><a href=${`#${id}`} @click=${(e: Event) => this.jump(e, id)}>${label}</a></li>`)}
        </ul>
      </nav>
      <tandem-categories-admin id="list-categories" tabindex="-1"></tandem-categories-admin>
      <tandem-tags-admin id="list-tags" tabindex="-1"></tandem-tags-admin>
      <tandem-teams-admin id="list-teams" tabindex="-1"></tandem-teams-admin>
      <tandem-lost-reasons-admin id="list-lost" tabindex="-1"></tandem-lost-reasons-admin>`;
  }
}

customElements.define('tandem-lists-page', TandemListsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lists-page': TandemListsPage;
  }
}
