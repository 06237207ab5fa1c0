/** The centred card layout shared by the sign-in and forced password change pages. */
import { css } from 'lit';

export const authLayout = css`
  :host {
    min-height: 100vh;
    display: grid;
    place-items: center;
    padding: var(--t-space-5);
    background:
      radial-gradient(1200px 600px at 10% -10%, #dfe8ff 0%, transparent 60%),
      radial-gradient(900px 500px at 110% 110%, #e8f0ff 0%, transparent 55%),
      var(--t-bg);
  }
  main {
    width: min(420px, 100%);
    display: grid;
    gap: var(--t-space-5);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: var(--t-space-2);
    font-size: 20px;
    font-weight: 700;
    letter-spacing: -0.01em;
    justify-content: center;
  }
  .card {
    background: var(--t-surface);
    border: 1px solid var(--t-border);
    border-radius: 14px;
    box-shadow: 0 10px 30px rgba(16, 24, 40, 0.08);
    padding: var(--t-space-6);
    display: grid;
    gap: var(--t-space-5);
  }
  .intro {
    display: grid;
    gap: var(--t-space-2);
  }
  .intro p {
    color: var(--t-muted);
  }
  form button[type='submit'] {
    width: 100%;
  }
  footer {
    display: flex;
    justify-content: center;
    gap: var(--t-space-3);
    color: var(--t-muted);
    font-size: var(--t-font-size-sm);
  }
`;
