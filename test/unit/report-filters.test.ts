/** The Reports screen's filters in the URL: presets, parsing (bad input falls back) and writing. */
import { describe, expect, it } from 'vitest';
import { customParams, filtersFromSearch, filtersToSearch, presetOf, presetRange, reportParams, reportParamsFor } from '../../client/src/reports/report-filters.ts';

const TODAY = '2026-11-28';
const TEAM = '0b8f1a52-4c1e-4d8e-9a55-6f0f5a7c2d11';
const NO_CUSTOM = { opportunity: {}, customer: {} };

describe('report filters', () => {
  it('computes the preset ranges around today, month and year ends included', () => {
    expect(presetRange('last30', TODAY)).toEqual({ from: '2026-10-30', to: TODAY });
    expect(presetRange('last90', TODAY)).toEqual({ from: '2026-08-31', to: TODAY });
    expect(presetRange('thisMonth', TODAY)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetRange('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('thisQuarter', TODAY)).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetRange('thisYear', TODAY)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(presetRange('lastMonth', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('names the preset a range matches, else custom', () => {
    expect(presetOf({ from: '2026-11-01', to: '2026-11-30' }, TODAY)).toBe('thisMonth');
    expect(presetOf({ from: '2026-11-02', to: '2026-11-30' }, TODAY)).toBe('custom');
  });

  it('reads the URL back as it was written', () => {
    const f = filtersFromSearch(`?from=2026-01-01&to=2026-03-31&teamId=${TEAM}&currency=USD&period=week`, TODAY);
    expect(f).toEqual({ from: '2026-01-01', to: '2026-03-31', teamId: TEAM, ownerId: '', pipelineId: '', currency: 'USD', period: 'week', custom: NO_CUSTOM });
    expect(filtersFromSearch(`?${filtersToSearch(f)}`, TODAY)).toEqual(f);
    expect(reportParams(f)).toEqual({ from: '2026-01-01', to: '2026-03-31', teamId: TEAM, ownerId: undefined, pipelineId: undefined, currency: 'USD', period: 'week' });
  });

  it('falls back to the default for malformed or reversed values', () => {
    const f = filtersFromSearch('?from=yesterday&to=2026-13&teamId=abc&ownerId=%3Cscript%3E&currency=usd&period=day', TODAY);
    expect(f).toEqual({ ...presetRange('last90', TODAY), teamId: '', ownerId: '', pipelineId: '', currency: '', period: 'month', custom: NO_CUSTOM });
    expect(filtersFromSearch('?from=2026-05-01&to=2026-04-01', TODAY)).toMatchObject(presetRange('last90', TODAY));
  });

  it('keeps custom field filters per entity and asks each report with its entity’s', () => {
    const f = filtersFromSearch('?opportunity.deal_type=renewal&customer.tier=gold&customer.Bad=1&opportunity.x=&other.y=z', TODAY);
    expect(f.custom).toEqual({ opportunity: { deal_type: 'renewal' }, customer: { tier: 'gold' } });
    expect(filtersFromSearch(`?${filtersToSearch(f)}`, TODAY)).toEqual(f);
    expect(reportParamsFor('forecast', f, TODAY)).toMatchObject({ 'custom.deal_type': 'renewal' });
    expect(reportParamsFor('forecast', f, TODAY)).not.toHaveProperty('custom.tier');
    expect(reportParamsFor('new-customers', f, TODAY)).toMatchObject({ 'custom.tier': 'gold' });
    expect(reportParamsFor('new-customers', f, TODAY)).not.toHaveProperty('custom.deal_type');
    expect(customParams(f, 'opportunity')).toEqual({ 'custom.deal_type': 'renewal' });
  });
});

describe('the forecast’s period', () => {
  const today = '2026-11-30';
  it('looks three months ahead while the period is the default one', () => {
    const f = filtersFromSearch('', today);
    expect(reportParamsFor('forecast', f, today)).toMatchObject({ from: '2026-11-30', to: '2027-02-28' });
    expect(reportParamsFor('win-rate', f, today)).toMatchObject({ from: '2026-09-02', to: '2026-11-30' });
  });

  it('follows a period the user picked', () => {
    const f = filtersFromSearch('?from=2026-01-01&to=2026-03-31', today);
    expect(reportParamsFor('forecast', f, today)).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
  });
});
