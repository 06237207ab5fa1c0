/** The security events page's own styles: a table on wide screens, one card per event on a phone. */
import { css } from 'lit';

export const securityEventsPageStyles = css`
  :host {
    display: grid;
    gap: var(--t-space-4);
  }
  .toolbar {
    display: flex;
    gap: var(--t-space-3);
    align-items: end;
    flex-wrap: wrap;
  }
  .toolbar .field {
    flex: 1 1 220px;
    max-width: 320px;
  }
  td {
    vertical-align: top;
  }
  .stack {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .sub {
    color: var(--t-muted);
    font-size: var(--t-font-size-sm);
    overflow-wrap: break-word;
  }
  .agent {
    max-width: 28ch;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  time {
    white-space: nowrap;
  }
  tr:focus {
    outline: 2px solid var(--t-primary);
    outline-offset: -2px;
  }
  .footer {
    display: flex;
    justify-content: center;
    gap: var(--t-space-3);
    align-items: center;
    flex-wrap: wrap;
  }
  @media (max-width: 640px) {
    .table-wrap {
      border: none;
      background: none;
      box-shadow: none;
      overflow: visible;
    }
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0, 0, 0, 0);
    }
    tr {
      background: var(--t-surface);
      border: 1px solid var(--t-border);
      border-radius: var(--t-radius);
      padding: var(--t-space-2) var(--t-space-3);
      margin-bottom: var(--t-space-3);
    }
    td {
      border: none;
      padding: var(--t-space-1) 0;
      display: grid;
      grid-template-columns: 7.5em minmax(0, 1fr);
      gap: var(--t-space-2);
    }
    td::before {
      content: attr(data-label);
      color: var(--t-muted);
      font-size: var(--t-font-size-sm);
      font-weight: 600;
    }
    .sub {
      overflow-wrap: anywhere;
    }
    .agent {
      max-width: none;
      white-space: normal;
    }
  }
`;
