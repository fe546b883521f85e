import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight } from '../src/highlight.ts';

describe('escapeHtml', () => {
  it('turns every character that could start or end markup into an entity', () => {
    expect(escapeHtml(`</pre><script>alert("x" & 'y')</script>`)).toBe(
      '&lt;/pre&gt;&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
  });
});

describe('highlight', () => {
  it('escapes markup wherever it stands: in code, strings and comments', () => {
    const html = highlight("const a = '</pre>'; // <script>\nif (a < b && c > d) {}", 'ts');
    expect(html).not.toMatch(/<\/?(pre|script)/);
    expect(html).toContain('<span class="s">&#39;&lt;/pre&gt;&#39;</span>');
    expect(html).toContain('<span class="c">// &lt;script&gt;</span>');
    expect(html).toContain('a &lt; b &amp;&amp; c &gt; d');
  });

  it('keeps a Python docstring one string, whatever words and quotes are in it', () => {
    const html = highlight('"""The notes\' version, with a pool.\n"""\nimport time', 'py');
    expect(html).toBe(
      '<span class="s">&quot;&quot;&quot;The notes&#39; version, with a pool.\n&quot;&quot;&quot;</span>\n<span class="k">import</span> time',
    );
  });

  it('reads # as a comment in Python and as a private name in TypeScript', () => {
    expect(highlight('x = 1  # note', 'py')).toContain('<span class="c"># note</span>');
    expect(highlight('this.#count = 1', 'ts')).not.toContain('class="c"');
    expect(highlight('n * (n - 1) // 6  # exact', 'py')).toBe(
      'n * (n - 1) // 6  <span class="c"># exact</span>',
    );
    expect(highlight('const s = `a </pre>`; /* c */', 'ts')).toBe(
      '<span class="k">const</span> s = <span class="s">`a &lt;/pre&gt;`</span>; <span class="c">/* c */</span>',
    );
  });
});
