/** `count` valid line items named "Line 1".."Line count". */
export function manyLines(count: number) {
  return Array.from({ length: count }, (_, i) => ({ name: `Line ${i + 1}`, quantity: '1', unitPrice: 1000 + i, taxRate: '21' }));
}
