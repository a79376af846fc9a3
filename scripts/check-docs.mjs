// Keeps the docs true to the repository (run by `npm run lint`): no tracked file holds a merge
// conflict marker, every repository path a tracked Markdown file names in code or a link exists,
// and every link to a heading of a Markdown file finds that heading.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';

const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const files = new Set(tracked);
const topLevel = new Set(tracked.map((file) => file.split('/')[0]));
const basenames = new Set(tracked.map((file) => basename(file)));
const problems = [];

const CONFLICT = /^(<{7} |>{7} |={7}$|\|{7} )/m;
for (const file of tracked) {
  const content = readFileSync(file);
  if (content.includes(0)) continue; // binary
  const text = content.toString('utf8');
  const match = CONFLICT.exec(text);
  if (match) problems.push(`${file}:${text.slice(0, match.index).split('\n').length}: merge conflict marker`);
}

const isDirectory = (path) => tracked.some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));
const globMatches = (pattern) => {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return tracked.some((file) => regex.test(file));
};

/** Whether `token`, written in inline code, names a repository path that does not exist. */
function missingPath(token) {
  if (!/^[\w.*/-]+$/.test(token) || token.startsWith('.') || token.includes('//')) return false;
  if (token.includes('/')) {
    if (!topLevel.has(token.split('/')[0])) return false; // not a repository path: a MIME type, a package
    if (token.includes('*')) return !globMatches(token);
    return !files.has(token) && !isDirectory(token);
  }
  return /\.(ts|mjs|cjs|js|json|md|png)$/.test(token) && !basenames.has(token);
}

/** GitHub's anchor of a heading. */
const slug = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
const anchorsOf = (file) => new Set([...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map(([, heading]) => slug(heading.trim())));

for (const file of tracked.filter((f) => f.endsWith('.md'))) {
  const lines = readFileSync(file, 'utf8')
    .replace(/^```[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ''))
    .split('\n');
  lines.forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    for (const [, token] of line.matchAll(/`([^`]+)`/g)) if (missingPath(token)) problems.push(`${where}: no such path: ${token}`);
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // a URL
      const [path, anchor] = target.split('#');
      const resolved = path ? normalize(join(dirname(file), path)) : file;
      if (path && !files.has(resolved) && !isDirectory(resolved)) problems.push(`${where}: broken link: ${target}`);
      else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
        problems.push(`${where}: no heading for #${anchor} in ${resolved}`);
    }
  });
}

if (problems.length) {
  console.error(`Docs out of step with the repository:\n${problems.join('\n')}`);
  process.exit(1);
}
