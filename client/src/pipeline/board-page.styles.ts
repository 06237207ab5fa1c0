/** Styles of the board page (tandem-pipeline-page.ts): layout, toolbar, avatars, banners. */
import { css } from 'lit';

export const boardPageStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: var(--t-space-3);
    height: calc(100vh - 120px);
    min-height: 420px;
    /* A grid item of the frame: without this the columns' width would widen the page. */
    min-width: 0;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--t-space-3);
  }
  .toolbar .field {
    min-width: 140px;
  }
  .toolbar .spacer {
    flex: 1;
  }
  .toolbar button[aria-pressed='true'] {
    background: var(--t-primary-soft);
    border-color: var(--t-primary);
    color: var(--t-primary);
  }
  .people {
    display: flex;
    align-items: center;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    width: 30px;
    height: 30px;
    border-radius: 50%;
    color: #fff;
    font-size: 12px;
    font-weight: 650;
    border: 2px solid var(--t-surface);
    margin-left: -6px;
  }
  .avatar.presenting {
    box-shadow: 0 0 0 2px var(--t-primary);
  }
  .status {
    font-size: var(--t-font-size-sm);
    color: var(--t-muted);
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--t-muted);
  }
  .dot.synced {
    background: var(--t-success);
  }
  .dot.offline,
  .dot.refused {
    background: var(--t-danger);
  }
  .banner {
    display: flex;
    align-items: center;
    gap: var(--t-space-3);
    flex-wrap: wrap;
    padding: var(--t-space-2) var(--t-space-4);
    border-radius: var(--t-radius-sm);
    background: var(--t-primary-soft);
    border: 1px solid rgba(44, 90, 233, 0.3);
  }
  .banner.changes {
    background: var(--t-warning-soft);
    border-color: #ecd08a;
  }
  .workspace {
    display: flex;
    gap: var(--t-space-3);
    flex: 1;
    min-height: 0;
  }
  .board {
    flex: 1;
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(230px, 1fr);
    gap: var(--t-space-3);
    overflow-x: auto;
    padding-bottom: var(--t-space-2);
    min-height: 0;
  }
  tandem-board-column {
    min-height: 0;
  }
  tandem-opportunity-panel {
    width: 380px;
    flex: none;
  }
  @media (max-width: 900px) {
    :host {
      height: auto;
    }
    .workspace {
      flex-direction: column;
    }
    .board {
      min-height: 70vh;
    }
    tandem-opportunity-panel {
      width: auto;
    }
  }
`;
