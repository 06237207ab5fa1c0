/** Creating a team: one name. Fires `team-created` with the team, or `cancel`. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import type { TeamDto } from '../../../schema/wire/user.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { createTeam } from '../api/teams.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';

/** Longest team name the server accepts (schema/wire/user.ts NAME_MAX). */
const NAME_MAX = 120;

export class TandemTeamCreateForm extends LitElement {
  static override properties = { busy: { state: true }, nameError: { state: true }, formError: { state: true } };
  static override styles = [base, buttons, forms];
  declare busy: boolean;
  declare nameError: string;
  declare formError: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
    this.nameError = '';
    this.formError = '';
  }

  /** Clears the form for a fresh start. */
  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.nameError = '';
    this.formError = '';
  }

  /** One Idempotency-Key per team sent (a double submit or a retry creates it once). */
  private readonly submission = new SubmissionKey();

  private get nameInput(): HTMLInputElement {
    return this.renderRoot.querySelector('#team-name') as HTMLInputElement;
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const name = this.nameInput.value.trim();
    this.nameError = '';
    this.formError = '';
    if (!name) {
      this.nameError = msg('Enter a team name.', { id: 'admin.teamNameRequired' });
      this.nameInput.focus();
      return;
    }
    this.busy = true;
    try {
      const team = await createTeam(name, { idempotencyKey: this.submission.for(name) });
      this.submission.settled();
      this.dispatchEvent(new CustomEvent<TeamDto>('team-created', { detail: team }));
    } catch (err) {
      this.submission.settled(err);
      if (err instanceof ApiError && err.code === 'conflict') {
        this.nameError = msg('A team with this name already exists.', { id: 'admin.teamExists' });
        this.nameInput.focus();
      } else this.formError = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form novalidate @submit=${this.onSubmit}>
      <div class="field">
        <label for="team-name">${msg('Team name', { id: 'admin.teamName' })}<span class="required" aria-hidden="true">*</span></label>
        <input
          id="team-name"
          maxlength=${NAME_MAX}
          required
          autocomplete="off"
          aria-invalid=${this.nameError ? 'true' : 'false'}
          aria-describedby=${this.nameError ? 'team-name-error' : nothing}
        />
        ${this.nameError ? html`<p class="field-error" id="team-name-error">${this.nameError}</p>` : nothing}
      </div>
      ${this.formError ? html`<tandem-alert>${this.formError}</tandem-alert>` : nothing}
      <div class="actions end">
        <button type="button" @click=${() => this.dispatchEvent(new Event('cancel'))}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Create team', { id: 'admin.createTeam' })}</button>
      </div>
    </form>`;
  }
}

customElements.define('tandem-team-create-form', TandemTeamCreateForm);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-team-create-form': TandemTeamCreateForm;
  }
}
