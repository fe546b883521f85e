import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight } from '../src/highlight.ts';

describe('escapeHtml', () => {
  it('turns every character that could start or end markup into an entity', () => {
    expect(escapeHtml(`</pre><script>alert("x" & 'y')</script>`)).toBe(
      '&lt;/pre&gt;&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
  });
});

// The theme's colors for what the grammars call a comment and a string.
const COMMENT = '#6A737D';
const STRING = '#032F62';

/** The highlighted tokens as [color, text], the text unescaped, the way a browser shows it. */
function tokens(html: string): [string, string][] {
  const shownText = (text: string) =>
    text
      .replaceAll('&#x3C;', '<')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&');
  return [...html.matchAll(/<span style="color:(#[0-9A-Fa-f]{6})">([^<]*)<\/span>/g)].map((m) => [
    m[1]!.toUpperCase(),
    shownText(m[2]!),
  ]);
}
const colorOf = (html: string, text: string) => tokens(html).find(([, t]) => t.includes(text))?.[0];

describe('highlight', () => {
  it('escapes markup wherever it stands: in code, strings and comments', async () => {
    const html = await highlight("const a = '</pre>'; // <script>\nif (a < b && c > d) {}", 'ts');
    expect(html).not.toMatch(/<\/?(script)|<\/pre>.*<\/pre>/s);
    expect(html.match(/<\/pre>/g)).toHaveLength(1);
    expect(colorOf(html, "'</pre>'")).toBe(STRING);
    expect(colorOf(html, '// <script>')).toBe(COMMENT);
  });

  it("reads Python's // as floor division and # as a comment, and a docstring as one string", async () => {
    const html = await highlight(
      '"""The notes\' version, with "a pool".\n"""\nx = n * (n - 1) // 6  # exact\n',
      'py',
    );
    expect(colorOf(html, '//')).not.toBe(COMMENT);
    expect(colorOf(html, '# exact')).toBe(COMMENT);
    // Both lines of the docstring, quotes inside it included, are string.
    expect(colorOf(html, 'with "a pool"')).toBe(STRING);
    expect(tokens(html).filter(([, t]) => t.includes('"""'))).toEqual([
      [STRING, '"""The notes\' version, with "a pool".'],
      [STRING, '"""'],
    ]);
  });

  it("reads TypeScript's # as a private name, not a comment, and a template literal as a string", async () => {
    const html = await highlight('this.#count = 1;\nconst s = `a </pre>`; /* c */', 'ts');
    expect(tokens(html).filter(([color]) => color === COMMENT)).toEqual([[COMMENT, '/* c */']]);
    expect(colorOf(html, 'a </pre>')).toBe(STRING);
  });
});
