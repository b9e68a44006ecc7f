import type { HostedView } from '../../domain/invoice-document.js';
import { html, SafeHtml } from './html.js';
import { HOSTED_CSS } from './styles.js';

/** What the page needs besides the invoice's view. */
export interface PageOptions {
  token: string;
  /** Show the pay form (open, balance due, online payments available). */
  payForm: boolean;
  /** The balance as a major-unit decimal string, prefilled in the partial-payment amount field. */
  balanceDecimal: string;
  /** Fraction digits of the currency, for the amount field's pattern. */
  exponent: number;
  /** The buyer came back from a cancelled checkout. */
  cancelled: boolean;
}

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${new SafeHtml(HOSTED_CSS)}</style>
</head>
<body><main>${body}</main></body>
</html>
`.value;
}

function lines(items: readonly string[]): SafeHtml {
  return html`${items.map((l) => html`${l}<br>`)}`;
}

function paySection(view: HostedView, opts: PageOptions): SafeHtml | null {
  if (view.status === 'void' || view.status === 'paid' || view.balanceMinor <= 0) return null;
  if (opts.payForm) {
    const pattern = opts.exponent > 0 ? `[0-9]+([.][0-9]{1,${opts.exponent}})?` : '[0-9]+';
    return html`<form class="pay" method="post" action="/i/${opts.token}/pay">
${
  view.allowPartialPayments
    ? html`<label for="amount">Amount to pay (${view.currency})</label>
<input id="amount" name="amount" inputmode="decimal" required pattern="${pattern}" value="${opts.balanceDecimal}">`
    : null
}
<button type="submit">Pay ${view.allowPartialPayments ? '' : view.balance}</button>
</form>`;
  }
  const seller = view.seller.name || 'the seller';
  return html`<p class="how-to-pay">To pay this invoice, contact ${seller}${
    view.seller.addressLines.length ? html`, ${view.seller.addressLines.join(', ')}` : ''
  }. Payments made outside this page are recorded by the seller and then show here.</p>`;
}

/** The hosted invoice page: a complete HTML document, every value escaped, no script. */
export function renderHostedPage(view: HostedView, opts: PageOptions): string {
  const title = `Invoice ${view.number}${view.seller.name ? ` from ${view.seller.name}` : ''}`;
  // A portal that has not set its brand yet gets no empty seller box.
  const hasBrand = Boolean(view.seller.logoUrl || view.seller.name || view.seller.addressLines.length);
  const body = html`
${
  hasBrand
    ? html`<section class="card">
<header class="seller">
${view.seller.logoUrl ? html`<img src="${view.seller.logoUrl}" alt="${view.seller.name || 'Logo'}">` : null}
<div class="wrap"><h1>${view.seller.name}</h1><address>${lines(view.seller.addressLines)}</address></div>
</header>
</section>`
    : null
}
${opts.cancelled && view.status !== 'paid' ? html`<p class="notice">The payment was cancelled; nothing was charged.</p>` : null}
<section class="card">
${view.status === 'void' ? html`<div class="void-mark">VOID</div>` : null}
<h1>Invoice ${view.number}</h1>
<span class="status status-${view.status}">${view.statusLabel}</span>
<dl class="facts">
<dt>Invoice date</dt><dd>${view.invoiceDate}</dd>
<dt>Due date</dt><dd>${view.dueDate}</dd>
<dt>Total</dt><dd>${view.total}</dd>
<dt>Amount paid</dt><dd>${view.amountPaid}</dd>
</dl>
${view.status === 'void' ? null : html`<p>Balance due</p><p class="due" id="balance">${view.balance}</p>`}
${paySection(view, opts)}
<p><a class="pdf" href="/i/${opts.token}/invoice.pdf">Download PDF</a></p>
</section>
<section class="card">
<h2>Bill to</h2>
<address>${lines([view.buyer.name, view.buyer.companyName, ...view.buyer.addressLines, view.buyer.email].filter(Boolean))}</address>
</section>
<section class="card">
<h2>Items</h2>
<table class="lines">
<colgroup><col class="item"><col class="qty wide"><col class="unit wide"><col class="tax wide"><col class="amount"></colgroup>
<thead><tr><th>Item</th><th class="num wide">Qty</th><th class="num wide">Unit price</th><th class="num wide">Tax</th><th class="num">Amount</th></tr></thead>
<tbody>
${view.lines.map(
  (l) => html`<tr>
<td><div class="name">${l.name}</div>${l.description ? html`<div class="detail">${l.description}</div>` : null}${
    l.sku ? html`<div class="detail">SKU ${l.sku}</div>` : null
  }${l.discount ? html`<div class="detail">Discount ${l.discount}</div>` : null}<div class="detail narrow">${l.quantity} × ${l.unitPrice}${
    l.tax ? html` · tax ${l.tax}` : null
  }</div></td>
<td class="num wide">${l.quantity}</td><td class="num wide">${l.unitPrice}</td><td class="num wide">${l.tax}</td><td class="num">${l.amount}</td>
</tr>`,
)}
</tbody>
</table>
<table class="summary">
${view.summary.map(
  (row, i) => html`<tr${i === view.summary.length - 1 ? html` class="total"` : null}><td>${row.label}</td><td class="num">${row.amount}</td></tr>`,
)}
</table>
</section>
${view.buyerComments ? html`<section class="card"><h2>Notes</h2><p class="notes">${view.buyerComments}</p></section>` : null}
`;
  return layout(title, body);
}

/** The one answer for unknown, draft, malformed and wrong-domain tokens alike. */
export function renderNotFoundPage(): string {
  return layout('Invoice not found', html`<section class="card"><h1>Invoice not found</h1><p>Check the link you were sent.</p></section>`);
}
