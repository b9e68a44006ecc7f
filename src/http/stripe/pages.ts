import type { Response } from 'express';
import { escapeHtml } from '../oauth/installed-page.js';

/** Headers of the service's small HTML pages: no caching, no referrer, no scripts at all. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

/** A link on a page: `href` must be built by us (it is escaped, not checked). */
export interface PageLink {
  href: string;
  text: string;
}

/** A minimal server-rendered page; every value is escaped. */
export function renderPage(title: string, paragraphs: string[], link?: PageLink): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#33475b}h1{font-size:1.5rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${link ? `<p><a href="${escapeHtml(link.href)}" rel="noreferrer">${escapeHtml(link.text)}</a></p>` : ''}
</body>
</html>
`;
}

/** Sends a page with the safe headers. */
export function sendPage(res: Response, status: number, title: string, paragraphs: string[], link?: PageLink): void {
  res
    .status(status)
    .set(PAGE_HEADERS)
    .send(renderPage(title, paragraphs, link));
}
