import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository must be self-contained: every document a file points to is in it. Checked here:
 * relative markdown links (and their #anchors) in *.md files, `docs/<name>.md` mentions in any
 * text file, and bare `<name>.md` mentions, which must name a markdown file that exists somewhere
 * in the repository (a mention of a document kept elsewhere, such as a team's notes, fails).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', '.git', '.data', 'build', 'coverage']);
const SKIP_FILES = new Set(['package-lock.json']);
const TEXT = /\.(md|ts|tsx|js|cjs|mjs|json|ya?ml|sh|example)$|(^|\/)(Dockerfile|run)$/;

/** Tracked and new (not ignored) files; walks the tree when git is not available (an exported copy). */
function repoFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    return [...new Set(out.split('\0').filter(Boolean))].filter((f) => existsSync(join(root, f)));
  } catch {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        if (SKIP_DIRS.has(name)) continue;
        const path = dir ? `${dir}/${name}` : name;
        if (statSync(join(root, path)).isDirectory()) walk(path);
        else found.push(path);
      }
    };
    walk('');
    return found;
  }
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of withoutCode(markdown).split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m) anchors.add(slug(m[1]!));
  }
  return anchors;
}

/** Markdown without fenced blocks and inline code spans (examples there are not links). */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

const files = repoFiles().filter((f) => !SKIP_FILES.has(basename(f)) && !f.split('/').some((part) => SKIP_DIRS.has(part)));
const markdownFiles = files.filter((f) => f.endsWith('.md'));
const markdownNames = new Set(markdownFiles.map((f) => basename(f)));
const read = (f: string) => readFileSync(join(root, f), 'utf8');

describe('documentation links', () => {
  it('finds the docs to check', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('docs/api.md');
  });

  it('relative markdown links point at files (and headings) in the repository', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const m of withoutCode(read(file)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [pathPart, anchor] = target.split('#') as [string, string | undefined];
        const resolved = pathPart === '' ? file : relative(root, join(root, dirname(file), decodeURIComponent(pathPart)));
        if (!existsSync(join(root, resolved))) {
          broken.push(`${file}: ${target} (no ${resolved})`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('docs/*.md mentions name files that exist', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => TEXT.test(f))) {
      for (const m of read(file).matchAll(/(?<![\w/.-])docs\/[\w./-]+?\.md\b/g)) {
        if (!existsSync(join(root, m[0]))) broken.push(`${file}: ${m[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('bare *.md mentions name a markdown file of the repository', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => TEXT.test(f))) {
      for (const m of read(file).matchAll(/(?<![\w/.-])([\w-]+\.md)\b/g)) {
        if (!markdownNames.has(m[1]!)) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
