/** Rows of an admin-managed list (lost reasons, categories, tags, teams): label, badges, actions; one column on a phone. */
import { css } from 'lit';

export const adminListStyles = css`
  :host {
    display: block;
  }
  .card {
    display: grid;
    gap: var(--t-space-4);
  }
  .card > header {
    margin-bottom: 0;
  }
  ol.rows,
  ul.rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--t-space-2);
  }
  .rows > li {
    display: flex;
    align-items: center;
    gap: var(--t-space-3);
    padding: var(--t-space-2) var(--t-space-3);
    border: 1px solid var(--t-border);
    border-radius: var(--t-radius-sm);
    background: var(--t-surface-2);
    min-width: 0;
  }
  .rows > li.archived .labels {
    opacity: 0.6;
  }
  .labels {
    display: grid;
    flex: 1 1 auto;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .row-actions {
    display: flex;
    gap: var(--t-space-2);
    flex-wrap: wrap;
    justify-content: flex-end;
  }
  button.icon-only {
    min-width: var(--t-control-height);
    justify-content: center;
    padding: 0;
  }
  form.add {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
    align-items: start;
    gap: var(--t-space-3);
  }
  .add-actions {
    display: flex;
    align-items: end;
    /* Level with the inputs, below their labels. */
    padding-top: calc(var(--t-font-size) * 1.5 + var(--t-space-1));
  }
  .swatch {
    width: 14px;
    height: 14px;
    border-radius: 50%;
    flex: none;
    border: 1px solid var(--t-border-strong);
  }
  @media (max-width: 600px) {
    .rows > li {
      flex-wrap: wrap;
    }
    .row-actions {
      flex-basis: 100%;
      justify-content: flex-start;
    }
    .add-actions {
      padding-top: 0;
    }
  }
`;
