// A `search` result as the model reads it: the matching tools' declarations, best first, within the
// result budget. An empty result names the tools that exist, so the model can try again with a real name.
// Pure: no MCP SDK here.
import type { SearchHit } from '../index.js';

export interface FoundTools {
  text: string;
  structured: { tools: Array<{ name: string; description: string; declaration: string }>; omitted?: number };
}

export function formatSearch(query: string, hits: readonly SearchHit[], allNames: readonly string[], maxChars: number): FoundTools {
  if (hits.length === 0) {
    const names = allNames.length === 0 ? 'none' : clipList(allNames, maxChars);
    return { text: `No tool matches ${JSON.stringify(query)}. Tools: ${names}`, structured: { tools: [] } };
  }
  const kept: SearchHit[] = [];
  let used = 0;
  for (const hit of hits) {
    // The best hit always goes in, even over budget: an empty answer to a matching query helps no one.
    if (kept.length > 0 && used + hit.declaration.length > maxChars) break;
    kept.push(hit);
    used += hit.declaration.length + 2;
  }
  const omitted = hits.length - kept.length;
  const header = `${kept.length} ${kept.length === 1 ? 'tool' : 'tools'} for ${JSON.stringify(query)}, best first:`;
  const footer = omitted > 0 ? `\n\n${omitted} more left out to keep this short; search with more precise words.` : '';
  return {
    text: `${header}\n\n${kept.map((hit) => hit.declaration.trimEnd()).join('\n\n')}${footer}`,
    structured: {
      tools: kept.map(({ name, description, declaration }) => ({ name, description, declaration })),
      ...(omitted > 0 ? { omitted } : {}),
    },
  };
}

function clipList(names: readonly string[], maxChars: number): string {
  let text = '';
  for (const [index, name] of names.entries()) {
    const next = text === '' ? name : `${text}, ${name}`;
    if (next.length > maxChars) return `${text}, … (${names.length - index} more)`;
    text = next;
  }
  return text;
}
