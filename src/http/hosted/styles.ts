import { createHash } from 'node:crypto';

/**
 * The hosted page's only stylesheet, inlined in a <style> element and allowed by its hash in the
 * Content-Security-Policy: no per-request nonce, no extra request, and no inline script anywhere.
 * Mobile first: below 560px the quantity, unit price and tax columns fold under the item name.
 */
export const HOSTED_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:#1d2733;background:#f4f6f8}
main{max-width:860px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:8px;padding:20px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.wrap,td,th,p,li,h1,h2,address{overflow-wrap:anywhere}
header.seller{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}
header.seller img{max-width:160px;max-height:64px;object-fit:contain}
h1{font-size:1.4rem;margin:0 0 4px}
h2{font-size:1rem;margin:0 0 8px;color:#516070;text-transform:uppercase;letter-spacing:.04em}
address{font-style:normal;color:#516070}
.status{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:600;font-size:.9rem;background:#e8eef5}
.status-past_due{background:#fde8e8;color:#9b1c1c}
.status-paid{background:#e3f5e8;color:#1e6b34}
.status-void{background:#eee;color:#444}
.void-mark{font-size:2rem;font-weight:800;letter-spacing:.2em;color:#9b1c1c;border:3px solid #9b1c1c;display:inline-block;padding:0 12px;margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0 0}
dl.facts dt{color:#516070}
dl.facts dd{margin:0}
.due{font-size:1.6rem;font-weight:700;margin:4px 0}
table{width:100%;border-collapse:collapse;table-layout:fixed}
th,td{padding:8px 4px;border-bottom:1px solid #e3e8ee;vertical-align:top;text-align:left}
th{font-size:.8rem;color:#516070;text-transform:uppercase}
.num{text-align:right;white-space:nowrap}
col.item{width:auto}
col.qty{width:4rem}
col.unit,col.amount{width:8rem}
col.tax{width:4rem}
.detail{color:#516070;font-size:.9rem}
.narrow{display:none}
table.summary{margin-top:8px}
table.summary td{border:0;padding:4px}
table.summary tr.total td{font-weight:700;font-size:1.1rem;border-top:2px solid #1d2733}
.notes{white-space:pre-wrap}
form.pay{display:flex;gap:8px;flex-wrap:wrap;align-items:flex-end;margin-top:12px}
form.pay label{display:block;width:100%;color:#516070}
form.pay input{font:inherit;padding:10px;border:1px solid #b8c2cc;border-radius:6px;width:10rem;max-width:100%}
button,.button{font:inherit;font-weight:600;padding:10px 20px;border:0;border-radius:6px;background:#0b5cd5;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
a{color:#0b5cd5}
.notice{background:#fff7e0;border-left:4px solid #d9a400;padding:8px 12px}
@media (max-width:560px){
  main{padding:8px}
  .card{padding:14px}
  .wide{display:none}
  .narrow{display:block}
  col.unit,col.amount{width:8rem}
  table{font-size:.92rem}
  .num{white-space:normal}
}
`;

/** The CSP source expression that allows exactly {@link HOSTED_CSS}. */
export const HOSTED_CSS_HASH = `'sha256-${createHash('sha256').update(HOSTED_CSS).digest('base64')}'`;
