import { DescriptionList, DescriptionListItem, Text } from '@hubspot/ui-extensions';
import type { InvoiceTotals } from '@invoices/shared/lib/domain';
import { formatMoney } from '@invoices/shared/lib/format';

/** Subtotal, discounts, fees, tax and total, as the service will compute them. */
export function TotalsSummary({
  totals,
  currency,
  paid,
}: {
  totals: InvoiceTotals | null;
  currency: string;
  paid?: { amountPaid: number; balanceDue: number };
}) {
  if (!totals)
    return (
      <Text variant="microcopy" testId="totals-hint">
        Fix the highlighted fields to see the totals.
      </Text>
    );
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Subtotal">{formatMoney(totals.subtotal, currency)}</DescriptionListItem>
      <DescriptionListItem label="Discounts">{formatMoney(totals.discountTotal, currency)}</DescriptionListItem>
      {totals.feeTotal > 0 ? <DescriptionListItem label="Fees">{formatMoney(totals.feeTotal, currency)}</DescriptionListItem> : null}
      <DescriptionListItem label="Tax">{formatMoney(totals.taxTotal, currency)}</DescriptionListItem>
      <DescriptionListItem label="Total">
        <Text format={{ fontWeight: 'bold' }} testId="total">
          {formatMoney(totals.total, currency)}
        </Text>
      </DescriptionListItem>
      {paid ? <DescriptionListItem label="Paid">{formatMoney(paid.amountPaid, currency)}</DescriptionListItem> : null}
      {paid ? <DescriptionListItem label="Balance due">{formatMoney(paid.balanceDue, currency)}</DescriptionListItem> : null}
    </DescriptionList>
  );
}
