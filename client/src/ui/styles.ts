/**
 * Shared element styles: each element adopts the ones it needs
 * (`static override styles = [base, forms, css`…`]`). Values come from the
 * custom properties of theme.css.
 */
import { css } from 'lit';

export const base = css`
  :host {
    display: block;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--t-primary);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h1 {
    font-size: var(--t-font-size-lg);
    font-weight: 650;
  }
  h2 {
    font-size: calc(var(--t-font-size) + 2px);
    font-weight: 600;
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--t-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  a {
    color: var(--t-primary);
  }
`;

export const buttons = css`
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--t-space-2);
    min-height: var(--t-control-height);
    padding: 0 var(--t-space-4);
    border-radius: var(--t-radius-sm);
    border: 1px solid var(--t-border-strong);
    background: var(--t-surface);
    color: var(--t-text);
    font: inherit;
    font-weight: 550;
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    background: var(--t-surface-2);
    border-color: var(--t-muted);
  }
  button:focus-visible {
    outline: none;
    box-shadow: var(--t-focus-ring);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  /* Busy but still focusable (a disabled control would lose keyboard focus). */
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  button.primary {
    background: var(--t-primary);
    border-color: var(--t-primary);
    color: var(--t-on-primary);
  }
  button.primary:hover:not(:disabled) {
    background: var(--t-primary-hover);
    border-color: var(--t-primary-hover);
  }
  button.danger {
    color: var(--t-danger);
  }
  button.danger:hover:not(:disabled) {
    background: var(--t-danger-soft);
    border-color: var(--t-danger);
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    min-height: auto;
    color: var(--t-primary);
    font-weight: 500;
  }
  button.link:hover:not(:disabled) {
    background: none;
    text-decoration: underline;
  }
  button svg {
    width: 16px;
    height: 16px;
    flex: none;
  }
`;

export const forms = css`
  form {
    display: grid;
    gap: var(--t-space-4);
  }
  .field {
    display: grid;
    gap: var(--t-space-1);
  }
  label,
  .label {
    font-weight: 550;
    font-size: var(--t-font-size);
  }
  input,
  select,
  textarea {
    width: 100%;
    min-height: var(--t-control-height);
    padding: 0 var(--t-space-3);
    border: 1px solid var(--t-border-strong);
    border-radius: var(--t-radius-sm);
    background: var(--t-surface);
    color: var(--t-text);
    font: inherit;
  }
  select {
    padding-right: var(--t-space-2);
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--t-primary);
    box-shadow: var(--t-focus-ring);
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--t-danger);
  }
  input:read-only {
    background: var(--t-surface-2);
    color: var(--t-muted);
  }
  .hint {
    color: var(--t-muted);
    font-size: var(--t-font-size-sm);
  }
  .field-error {
    color: var(--t-danger);
    font-size: var(--t-font-size-sm);
    font-weight: 500;
  }
  .required {
    color: var(--t-danger);
    margin-left: 2px;
  }
  .actions {
    display: flex;
    gap: var(--t-space-2);
    align-items: center;
    flex-wrap: wrap;
  }
  .actions.end {
    justify-content: flex-end;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--t-space-2);
  }
  legend {
    font-weight: 550;
    padding: 0;
    margin-bottom: var(--t-space-1);
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--t-space-2);
    font-weight: 400;
  }
  .choice input {
    width: auto;
    min-height: auto;
    margin: 0;
  }
`;

export const cards = css`
  .card {
    background: var(--t-surface);
    border: 1px solid var(--t-border);
    border-radius: var(--t-radius);
    box-shadow: var(--t-shadow);
    padding: var(--t-space-5);
  }
  .card > header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--t-space-3);
    margin-bottom: var(--t-space-4);
  }
  .card > header p {
    margin-top: var(--t-space-1);
  }
`;

export const tables = css`
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--t-border);
    border-radius: var(--t-radius);
    background: var(--t-surface);
    box-shadow: var(--t-shadow);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--t-space-3) var(--t-space-4);
    border-bottom: 1px solid var(--t-border);
    vertical-align: middle;
  }
  th {
    font-size: var(--t-font-size-sm);
    font-weight: 600;
    color: var(--t-muted);
    background: var(--t-surface-2);
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
  tbody tr:last-child td {
    border-bottom: none;
  }
  tbody tr:hover {
    background: var(--t-surface-2);
  }
  td select {
    min-width: 9em;
  }
`;

export const badges = css`
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: var(--t-font-size-sm);
    font-weight: 550;
    background: var(--t-surface-2);
    color: var(--t-muted);
    border: 1px solid var(--t-border);
    white-space: nowrap;
  }
  .badge.success {
    background: var(--t-success-soft);
    color: var(--t-success);
    border-color: transparent;
  }
  .badge.danger {
    background: var(--t-danger-soft);
    color: var(--t-danger);
    border-color: transparent;
  }
  .badge.primary {
    background: var(--t-primary-soft);
    color: var(--t-primary);
    border-color: transparent;
  }
`;

/** A row another user just changed (LiveListController.isFresh): a brief flash, a static mark without motion. */
export const liveRows = css`
  .changed {
    animation: t-changed-flash 2.5s ease-out;
  }
  @keyframes t-changed-flash {
    from {
      background: var(--t-warning-soft);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .changed {
      animation: none;
      box-shadow: inset 3px 0 0 var(--t-warning-soft);
    }
  }
`;
