import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS, completeMappings, mapLine, mergeMappings } from './mappings.js';

describe('accounting mappings', () => {
  it('completes what is stored with the defaults (rows from before the setting hold {})', () => {
    expect(completeMappings({})).toEqual(DEFAULT_MAPPINGS);
    expect(completeMappings(null)).toEqual(DEFAULT_MAPPINGS);
    expect(completeMappings({ dateFormat: 'MM/DD/YYYY', bom: { csv: false }, items: [{ sku: 'A' }] })).toEqual({
      ...DEFAULT_MAPPINGS,
      dateFormat: 'MM/DD/YYYY',
      bom: { ...DEFAULT_MAPPINGS.bom, csv: false },
      items: [{ sku: 'A' }],
    });
  });

  it('maps a line by exact SKU, then the defaults field by field', () => {
    const m = {
      ...DEFAULT_MAPPINGS,
      items: [
        { sku: 'ONB-1', accountCode: '210', taxType: 'VAT 21%' },
        { sku: 'LIC', incomeAccount: 'Licences' },
      ],
    };
    expect(mapLine(m, { sku: 'ONB-1', taxRate: '21' })).toEqual({ accountCode: '210', taxType: 'VAT 21%', incomeAccount: 'Sales' });
    expect(mapLine(m, { sku: 'LIC', taxRate: '7.125' })).toEqual({ accountCode: '200', taxType: 'Tax 7.125%', incomeAccount: 'Licences' });
    expect(mapLine(m, { sku: 'onb-1', taxRate: '0.00' })).toEqual({ accountCode: '200', taxType: 'Tax Exempt (0%)', incomeAccount: 'Sales' });
    expect(mapLine(m, { sku: null, taxRate: null }).taxType).toBe('Tax Exempt (0%)');
  });

  it('merges a partial update: given fields replace, bom per format, items as a whole', () => {
    const current = { ...DEFAULT_MAPPINGS, items: [{ sku: 'A' }] };
    expect(mergeMappings(current, { bom: { 'qbd-iif': true }, items: [{ sku: 'B' }] })).toEqual({
      ...DEFAULT_MAPPINGS,
      bom: { ...DEFAULT_MAPPINGS.bom, 'qbd-iif': true },
      items: [{ sku: 'B' }],
    });
  });
});
