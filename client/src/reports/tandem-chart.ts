/**
 * One Chart.js chart in a shadow root. The owner passes a plain `spec`
 * (labels, series, how to format values); the element creates the chart when
 * it is first rendered, updates it in place when the spec changes, destroys it
 * when the element leaves the page, and takes its colours, font and size from
 * the theme's custom properties (display density included). The canvas is an
 * image for screen readers, labelled with `label`; the table under each chart
 * carries the figures.
 */
import Chart from 'chart.js/auto';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { base } from '../ui/styles.ts';

export interface ChartSeries {
  label: string;
  data: number[];
  /** Drawn as bars unless 'line'. */
  type?: 'bar' | 'line';
  /** 'secondary' puts the series on a second value axis with its own format. */
  axis?: 'primary' | 'secondary';
}

export interface ChartSpec {
  kind: 'bar' | 'doughnut';
  labels: string[];
  series: ChartSeries[];
  /** Bars along the horizontal axis (a ranking). */
  horizontal?: boolean;
  /** Bars of all series stacked (parts of one total). */
  stacked?: boolean;
  format?: (value: number) => string;
  secondaryFormat?: (value: number) => string;
  /** The secondary axis reaches at least this far (so tiny values do not fill it with equal labels). */
  secondaryAtLeast?: number;
  /** The primary values are counts: whole-number ticks only. */
  integer?: boolean;
}

/** Series colours; the first is the theme's primary colour. */
const PALETTE_FALLBACK = ['#2c5ae9', '#17794a', '#e8590c', '#ae3ec9', '#0c8599', '#c2255c', '#f08c00', '#5f3dc4', '#5b6776'];

interface Theme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  font: string;
  fontSize: number;
  palette: string[];
}

export class TandemChart extends LitElement {
  static override properties = { spec: { attribute: false }, label: { type: String } };
  static override styles = [
    base,
    css`
      .frame {
        position: relative;
        height: var(--chart-height, calc(var(--t-control-height) * 7));
        min-width: 0;
      }
    `,
  ];

  declare spec: ChartSpec | null;
  declare label: string;
  private chart: Chart | null = null;
  private themeObserver: MutationObserver | null = null;

  constructor() {
    super();
    this.spec = null;
    this.label = '';
  }

  /** The values drawn, series by series (what the chart shows now). */
  get drawnValues(): number[][] {
    return (this.chart?.data.datasets ?? []).map((d) => (d.data as number[]).slice());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Density and theme are attributes of <html>: restyle the chart when they change.
    this.themeObserver = new MutationObserver(() => this.draw(true));
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-density', 'data-theme', 'class'] });
    if (this.hasUpdated) this.draw(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.themeObserver?.disconnect();
    this.themeObserver = null;
    this.chart?.destroy();
    this.chart = null;
  }

  override render() {
    return html`<div class="frame"><canvas role="img" aria-label=${this.label}></canvas></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('spec')) this.draw(false);
  }

  private draw(restyle: boolean): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this.isConnected) return;
    if (!this.spec) {
      this.chart?.destroy();
      this.chart = null;
      return;
    }
    const config = this.configFor(this.spec, this.readTheme());
    const chart = this.chart;
    if (chart && !restyle && (chart.config as { type?: string }).type === config.type) {
      // Same kind of chart: move the figures in place (the bars animate to their new values).
      chart.data.labels = config.data.labels;
      const datasets = config.data.datasets;
      if (chart.data.datasets.length === datasets.length) {
        for (const [i, d] of datasets.entries()) Object.assign(chart.data.datasets[i]!, d);
      } else {
        chart.data.datasets = datasets;
      }
      chart.options = config.options ?? {};
      chart.update();
      return;
    }
    chart?.destroy();
    this.chart = new Chart(canvas, config);
  }

  private readTheme(): Theme {
    const style = getComputedStyle(this);
    const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const primary = v('--t-primary', PALETTE_FALLBACK[0]!);
    return {
      text: v('--t-text', '#17202b'),
      muted: v('--t-muted', '#5b6776'),
      grid: v('--t-border', '#dfe3e9'),
      surface: v('--t-surface', '#ffffff'),
      font: v('--t-font', 'system-ui, sans-serif'),
      fontSize: Number.parseFloat(v('--t-font-size-sm', '12')) || 12,
      palette: [primary, ...PALETTE_FALLBACK.slice(1)],
    };
  }

  private configFor(spec: ChartSpec, theme: Theme): ChartConfiguration {
    const color = (i: number) => theme.palette[i % theme.palette.length]!;
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    const format = spec.format ?? ((n: number) => String(n));
    const tooltip = {
      callbacks: {
        label: (item: { dataset: { label?: string; yAxisID?: string; xAxisID?: string }; raw: unknown }) => {
          const secondary = item.dataset.yAxisID === 'y1';
          const f = secondary && spec.secondaryFormat ? spec.secondaryFormat : format;
          return `${item.dataset.label ?? ''}: ${f(Number(item.raw))}`;
        },
      },
    };
    const common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? (false as const) : { duration: 300 },
      font: { family: theme.font, size: theme.fontSize },
      color: theme.text,
    };
    if (spec.kind === 'doughnut') {
      const data = spec.series[0]?.data ?? [];
      return {
        type: 'doughnut',
        data: {
          labels: spec.labels,
          datasets: [{ label: spec.series[0]?.label ?? '', data, backgroundColor: data.map((_, i) => color(i)), borderColor: theme.surface }],
        },
        options: {
          ...common,
          plugins: {
            legend: { position: 'right', labels: { color: theme.text, font: { family: theme.font, size: theme.fontSize } } },
            tooltip,
          },
        },
      } as ChartConfiguration;
    }
    const valueAxis = spec.horizontal ? 'x' : 'y';
    const categoryAxis = spec.horizontal ? 'y' : 'x';
    const datasets = spec.series.map((s, i): ChartDataset => {
      const c = color(i);
      const onSecondary = s.axis === 'secondary' && !spec.horizontal;
      return {
        type: s.type ?? 'bar',
        label: s.label,
        data: s.data,
        backgroundColor: s.type === 'line' ? c : translucent(c),
        borderColor: c,
        borderWidth: s.type === 'line' ? 2 : 0,
        borderRadius: s.type === 'line' ? 0 : 3,
        pointRadius: s.type === 'line' ? 3 : undefined,
        ...(onSecondary ? { yAxisID: 'y1' } : {}),
        order: s.type === 'line' ? 0 : 1,
      } as ChartDataset;
    });
    const ticks = { color: theme.muted, font: { family: theme.font, size: theme.fontSize } };
    const scales: Record<string, unknown> = {
      [categoryAxis]: { stacked: spec.stacked ?? false, ticks, grid: { display: false }, border: { color: theme.grid } },
      [valueAxis]: {
        stacked: spec.stacked ?? false,
        beginAtZero: true,
        ticks: { ...ticks, ...(spec.integer ? { precision: 0 } : {}), callback: (v: number | string) => format(Number(v)) },
        grid: { color: theme.grid },
        border: { display: false },
      },
    };
    if (spec.series.some((s) => s.axis === 'secondary') && !spec.horizontal) {
      const f = spec.secondaryFormat ?? format;
      scales.y1 = { position: 'right', beginAtZero: true, suggestedMax: spec.secondaryAtLeast, ticks: { ...ticks, callback: (v: number | string) => f(Number(v)) }, grid: { display: false } };
    }
    return {
      type: 'bar',
      data: { labels: spec.labels, datasets },
      options: {
        ...common,
        indexAxis: spec.horizontal ? 'y' : 'x',
        scales,
        plugins: {
          legend: {
            display: spec.series.length > 1,
            position: 'bottom',
            labels: { color: theme.text, boxWidth: 12, font: { family: theme.font, size: theme.fontSize } },
          },
          tooltip,
        },
      },
    } as ChartConfiguration;
  }
}

/** A hex colour at 80 % opacity; other notations as they are. */
function translucent(color: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}cc` : color;
}

customElements.define('tandem-chart', TandemChart);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-chart': TandemChart;
  }
}
