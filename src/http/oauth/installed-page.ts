import type { CompletedInstall } from '../../app/complete-install.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Headers for the page: no caching (the URL held a code), no referrer, no scripts. */
export const INSTALLED_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/** The small page shown after a successful install. Every value from outside is escaped. */
export function renderInstalledPage(install: CompletedInstall): string {
  const account = install.hubDomain ? `${install.hubDomain} (${install.portalId})` : String(install.portalId);
  const what = install.reinstalled ? 'reconnected to' : 'installed in';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invoices installed</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#33475b}h1{font-size:1.5rem}</style>
</head>
<body>
<h1>Invoices is ${what} your HubSpot account</h1>
<p>Account: <strong>${escapeHtml(account)}</strong></p>
<p>Open a deal, contact or company in HubSpot to create your first invoice. You can close this tab.</p>
<p><a href="https://app.hubspot.com/" rel="noreferrer">Back to HubSpot</a></p>
</body>
</html>
`;
}
