// Escaping and a small syntax highlighter for the report's source panes.
// Every piece of source text goes through escapeHtml, so markup in a source
// (a `<script>`, a `</pre>`) is shown as text, never interpreted.

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const KEYWORDS = new Set(
  (
    'async await break case catch class const continue default do else export extends finally for from ' +
    'function if import in interface let new of return switch throw try type while with yield def elif ' +
    'lambda pass raise global nonlocal as None True False null undefined true false using'
  ).split(' '),
);

// One alternation per language, tried left to right at each point: comments,
// strings, words, anything else. TypeScript's comments are // and /* */ (a
// '#' is a private name); Python's are # (a '//' is floor division), and its
// triple-quoted strings (docstrings) come before the one-line ones.
const QUOTED = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/.source;
const TOKEN = {
  ts: new RegExp(
    `(//[^\\n]*|/\\*[\\s\\S]*?\\*/)|(${QUOTED}|${/`(?:\\.|[^`\\])*`/.source})|([A-Za-z_$][\\w$]*)|([\\s\\S])`,
    'g',
  ),
  py: new RegExp(
    `(#[^\\n]*)|(${/"""[\s\S]*?"""|'''[\s\S]*?'''/.source}|${QUOTED})|([A-Za-z_]\\w*)|([\\s\\S])`,
    'g',
  ),
};

/** Highlight TypeScript or Python source as HTML (escaped). */
export function highlight(source: string, language: 'ts' | 'py'): string {
  let html = '';
  for (const match of source.matchAll(TOKEN[language])) {
    const [text, comment, string, word] = match;
    if (comment) {
      html += `<span class="c">${escapeHtml(comment)}</span>`;
    } else if (string) {
      html += `<span class="s">${escapeHtml(string)}</span>`;
    } else if (word && KEYWORDS.has(word)) {
      html += `<span class="k">${word}</span>`;
    } else {
      html += escapeHtml(text);
    }
  }
  return html;
}
