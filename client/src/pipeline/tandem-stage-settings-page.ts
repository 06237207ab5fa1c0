/**
 * Stage configuration of one pipeline, for admins (`/pipeline/:id/stages`):
 * rename (English and Chinese), win probability, kind, reorder, add and
 * delete (moving the stage's deals to another stage). Every change is saved
 * by the pipeline API, which also updates the board document, so open boards
 * show it at once.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { STAGE_KINDS, STAGE_NAME_MAX, type StageKind, STAGES_PER_PIPELINE_MAX } from '../../../schema/wire/board.ts';
import type { PipelineDto, StageDto, StageInput, UpdateStageInput } from '../../../schema/wire/pipeline.ts';
import { ApiError } from '../api/http.ts';
import { addStage, deleteStage, getPipeline, reorderStages, updateStage } from '../api/pipelines.ts';
import { currentLocale } from '../app/localization.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, cards, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { stageName } from './board-model.ts';
import { SubmissionKey } from '../api/idempotency.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; pipeline: PipelineDto };

export function stageKindLabel(kind: StageKind): string {
  switch (kind) {
    case 'open':
      return msg('Open', { id: 'stages.kind.open' });
    case 'won':
      return msg('Won', { id: 'stages.kind.won' });
    case 'lost':
      return msg('Lost', { id: 'stages.kind.lost' });
    default:
      return kind satisfies never;
  }
}

export class TandemStageSettingsPage extends LitElement {
  /** One Idempotency-Key per submission: a double click creates one stage. */
  private readonly submission = new SubmissionKey();
  static override properties = {
    pipelineId: { type: String, attribute: 'pipeline-id' },
    load: { state: true },
    error: { state: true },
    status: { state: true },
    deleting: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    tables,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 1000px;
      }
      td input {
        min-width: 0;
      }
      td select {
        min-width: 7.5em;
      }
      td .actions {
        flex-wrap: nowrap;
      }
      td.num input {
        width: 5.5em;
      }
      .order {
        display: flex;
        gap: 4px;
      }
      .order button {
        padding: 0 var(--t-space-2);
      }
      .add {
        display: grid;
        grid-template-columns: 2fr 2fr 1fr 1fr auto;
        gap: var(--t-space-3);
        align-items: end;
      }
      .saved {
        color: var(--t-success);
      }
    `,
  ];
  declare pipelineId: string;
  declare load: Load;
  declare error: string;
  declare status: string;
  declare deleting: StageDto | null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.pipelineId = '';
    this.load = { kind: 'loading' };
    this.error = '';
    this.status = '';
    this.deleting = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.fetch();
  }

  private async fetch(): Promise<void> {
    try {
      this.load = { kind: 'ready', pipeline: await getPipeline(this.pipelineId) };
    } catch (e) {
      this.load = { kind: 'failed', message: errorMessage(e) };
    }
  }

  private async run(action: () => Promise<PipelineDto>, done: string): Promise<boolean> {
    this.error = '';
    this.status = '';
    try {
      this.load = { kind: 'ready', pipeline: await action() };
      this.status = done;
      return true;
    } catch (e) {
      this.error = e instanceof ApiError && e.code === 'validation' ? e.message : errorMessage(e);
      return false;
    }
  }

  private saveRow(stage: StageDto, e: Event): void {
    e.preventDefault();
    const row = (e.target as HTMLElement).closest('tr')!;
    const get = (name: string) => row.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)!.value.trim();
    const patch: UpdateStageInput = {};
    const name = get('name');
    const nameZh = get('nameZh') || null;
    const probability = Number(get('probability'));
    const kind = get('kind') as StageKind;
    if (!name) {
      this.error = msg('A stage needs a name.', { id: 'stages.nameRequired' });
      return;
    }
    if (!Number.isInteger(probability) || probability < 0 || probability > 100) {
      this.error = msg('Probability is a whole number from 0 to 100.', { id: 'stages.probabilityInvalid' });
      return;
    }
    if (name !== stage.name) patch.name = name;
    if (nameZh !== stage.nameZh) patch.nameZh = nameZh;
    if (probability !== stage.probability) patch.probability = probability;
    if (kind !== stage.kind) patch.kind = kind;
    if (Object.keys(patch).length === 0) return;
    void this.run(() => updateStage(this.pipelineId, stage.id, patch), msg('Stage saved.', { id: 'stages.saved' }));
  }

  private move(stages: StageDto[], index: number, delta: number): void {
    const ids = stages.map((s) => s.id);
    const j = index + delta;
    if (j < 0 || j >= ids.length) return;
    [ids[index], ids[j]] = [ids[j]!, ids[index]!];
    void this.run(() => reorderStages(this.pipelineId, ids), msg('Order saved.', { id: 'stages.reordered' }));
  }

  private async add(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    if (!name) {
      this.error = msg('A stage needs a name.', { id: 'stages.nameRequired' });
      return;
    }
    const body: StageInput = { name, kind: String(data.get('kind')) as StageKind };
    const nameZh = String(data.get('nameZh') ?? '').trim();
    if (nameZh) body.nameZh = nameZh;
    const p = String(data.get('probability') ?? '').trim();
    if (p) body.probability = Number(p);
    // New open stages go before the closed ones.
    if (this.load.kind === 'ready' && body.kind === 'open') {
      const firstClosed = this.load.pipeline.stages.findIndex((s) => s.kind !== 'open');
      if (firstClosed >= 0) body.position = firstClosed;
    }
    const added = await this.run(() => addStage(this.pipelineId, body, { idempotencyKey: this.submission.for(body) }), msg('Stage added.', { id: 'stages.added' }));
    this.submission.settled();
    if (added) form.reset();
  }

  private confirmDelete(e: Event): void {
    e.preventDefault();
    const stage = this.deleting;
    if (!stage) return;
    const moveTo = new FormData(e.target as HTMLFormElement).get('moveTo');
    this.deleting = null;
    void this.run(
      () => deleteStage(this.pipelineId, stage.id, moveTo ? String(moveTo) : undefined),
      msg('Stage deleted.', { id: 'stages.deleted' }),
    );
  }

  override render() {
    switch (this.load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('The pipeline could not be loaded', { id: 'stages.loadFailed' })}>
          ${this.load.message}
        </tandem-empty-state>`;
      case 'ready':
        return this.renderPipeline(this.load.pipeline);
      default:
        return this.load satisfies never;
    }
  }

  private renderPipeline(pipeline: PipelineDto) {
    const locale = currentLocale();
    const stages = pipeline.stages;
    return html`<div>
        <a href=${`/pipeline/${pipeline.id}`}>← ${msg('Back to the board', { id: 'stages.back' })}</a>
      </div>
      <section class="card">
        <header>
          <div>
            <h2>${locale === 'zh-CN' && pipeline.nameZh ? pipeline.nameZh : pipeline.name}</h2>
            <p class="muted">${msg('Changes show at once on every open board.', { id: 'stages.hint' })}</p>
          </div>
          <span role="status" class="saved">${this.status}</span>
        </header>
        ${this.error ? html`<tandem-alert kind="error">${this.error}</tandem-alert>` : nothing}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>${msg('Order', { id: 'stages.order' })}</th>
                <th>${msg('Name', { id: 'stages.name' })}</th>
                <th>${msg('Chinese name', { id: 'stages.nameZh' })}</th>
                <th>${msg('Probability %', { id: 'stages.probability' })}</th>
                <th>${msg('Kind', { id: 'stages.kind' })}</th>
                <th><span class="visually-hidden">${msg('Actions', { id: 'stages.actions' })}</span></th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                stages,
                (s) => `${s.id}|${s.name}|${s.nameZh}|${s.probability}|${s.kind}`,
                (s, i) => html`<tr data-stage-id=${s.id}>
                  <td>
                    <div class="order">
                      <button type="button" aria-label=${msg(str`Move ${s.name} up`, { id: 'stages.up' })} ?disabled=${i === 0} @click=${() => this.move(stages, i, -1)}>↑</button>
                      <button type="button" aria-label=${msg(str`Move ${s.name} down`, { id: 'stages.down' })} ?disabled=${i === stages.length - 1} @click=${() => this.move(stages, i, 1)}>↓</button>
                    </div>
                  </td>
                  <td><input name="name" aria-label=${msg(str`Name of ${s.name}`, { id: 'stages.nameOf' })} .value=${s.name} maxlength=${STAGE_NAME_MAX} /></td>
                  <td><input name="nameZh" aria-label=${msg(str`Chinese name of ${s.name}`, { id: 'stages.nameZhOf' })} .value=${s.nameZh ?? ''} maxlength=${STAGE_NAME_MAX} /></td>
                  <td class="num"><input name="probability" type="number" min="0" max="100" aria-label=${msg(str`Probability of ${s.name}`, { id: 'stages.probabilityOf' })} .value=${String(s.probability)} /></td>
                  <td>
                    <select name="kind" aria-label=${msg(str`Kind of ${s.name}`, { id: 'stages.kindOf' })}>
                      ${STAGE_KINDS.map((k) => html`<option value=${k} ?selected=${k === s.kind}>${stageKindLabel(k)}</option>`)}
                    </select>
                  </td>
                  <td>
                    <div class="actions">
                      <button type="button" class="primary" @click=${(e: Event) => this.saveRow(s, e)}>${msg('Save', { id: 'stages.save' })}</button>
                      <button type="button" class="danger" ?disabled=${stages.length <= 1} @click=${() => (this.deleting = s)}>
                        ${msg('Delete', { id: 'stages.delete' })}
                      </button>
                    </div>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <header><h2>${msg('Add a stage', { id: 'stages.addHeading' })}</h2></header>
        <form class="add" @submit=${this.add} novalidate>
          <div class="field">
            <label for="new-name">${msg('Name', { id: 'stages.name' })}</label>
            <input id="new-name" name="name" maxlength=${STAGE_NAME_MAX} required />
          </div>
          <div class="field">
            <label for="new-name-zh">${msg('Chinese name', { id: 'stages.nameZh' })}</label>
            <input id="new-name-zh" name="nameZh" maxlength=${STAGE_NAME_MAX} />
          </div>
          <div class="field">
            <label for="new-probability">${msg('Probability %', { id: 'stages.probability' })}</label>
            <input id="new-probability" name="probability" type="number" min="0" max="100" />
          </div>
          <div class="field">
            <label for="new-kind">${msg('Kind', { id: 'stages.kind' })}</label>
            <select id="new-kind" name="kind">
              ${STAGE_KINDS.map((k) => html`<option value=${k}>${stageKindLabel(k)}</option>`)}
            </select>
          </div>
          <button class="primary" type="submit" ?disabled=${stages.length >= STAGES_PER_PIPELINE_MAX}>${msg('Add stage', { id: 'stages.add' })}</button>
        </form>
      </section>
      <tandem-dialog
        .open=${!!this.deleting}
        heading=${this.deleting ? msg(str`Delete ${stageName(this.deleting, locale)}?`, { id: 'stages.deleteHeading' }) : ''}
        @close=${() => (this.deleting = null)}
      >
        <form @submit=${this.confirmDelete}>
          <p>${msg('Its deals move to the stage you choose.', { id: 'stages.deleteText' })}</p>
          <div class="field">
            <label for="move-to">${msg('Move its deals to', { id: 'stages.moveTo' })}</label>
            <select id="move-to" name="moveTo">
              ${stages
                .filter((s) => s.id !== this.deleting?.id)
                .map((s) => html`<option value=${s.id}>${stageName(s, locale)}</option>`)}
            </select>
          </div>
          <div class="actions end">
            <button type="button" @click=${() => (this.deleting = null)}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="danger" type="submit">${msg('Delete', { id: 'stages.delete' })}</button>
          </div>
        </form>
      </tandem-dialog>`;
  }
}

customElements.define('tandem-stage-settings-page', TandemStageSettingsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-stage-settings-page': TandemStageSettingsPage;
  }
}
