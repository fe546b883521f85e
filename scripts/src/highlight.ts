// Highlighting for the report's source panes, done once when the report is
// written, so the page needs no script: Shiki with the TextMate grammars
// VS Code uses for TypeScript and Python (so Python's `//` is floor division
// and a docstring is a string, as the grammar says, not as a regex guesses),
// and the Oniguruma engine those grammars are written for. Shiki escapes
// every piece of source text it emits, so markup in a source (a `<script>`,
// a `</pre>`) is shown as text.
import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createOnigurumaEngine } from 'shiki/engine/oniguruma';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The light theme the report is drawn in; its colors are inline styles on each token. */
export const THEME = 'github-light';

let loading: Promise<HighlighterCore> | undefined;

/** One highlighter for the process, with just the two grammars and the one theme the report uses. */
function highlighter(): Promise<HighlighterCore> {
  loading ??= createHighlighterCore({
    themes: [import('shiki/themes/github-light.mjs')],
    langs: [import('shiki/langs/typescript.mjs'), import('shiki/langs/python.mjs')],
    engine: createOnigurumaEngine(import('shiki/wasm')),
  });
  return loading;
}

/** A whole source file as a highlighted `<pre class="shiki">` block (escaped). */
export async function highlight(source: string, language: 'ts' | 'py'): Promise<string> {
  const shiki = await highlighter();
  return shiki.codeToHtml(source, {
    lang: language === 'ts' ? 'typescript' : 'python',
    theme: THEME,
    // Shiki stops tokenizing a line after 500 ms by default and leaves the
    // rest uncolored; on a busy machine that silently drops the colors.
    tokenizeTimeLimit: 0,
  });
}
