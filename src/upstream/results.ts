// What an upstream tool call resolves to inside the run. MCP results are made for chat clients (a list of
// content items); model code wants values:
//   - a tool with an `outputSchema`: its `structuredContent` (validated against the schema in tools.ts on each call);
//   - otherwise the content: one text item as that string (never parsed as JSON behind the model's back: a
//     text that happens to look like JSON stays text, and `JSON.parse` is one call away), one other item as
//     that item, several items as an array of items, none as `undefined`.
// Items keep MCP's own shapes (`{ type: 'image', data, mimeType }`, `{ type: 'resource', resource: { uri,
// text | blob } }`, ...) minus `_meta`, so binary data stays base64, as the server sent it.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export type ContentItem = CallToolResult['content'][number];

export function unwrapResult(result: CallToolResult, hasOutputSchema: boolean): unknown {
  if (hasOutputSchema && result.structuredContent !== undefined) return result.structuredContent;
  const items = (Array.isArray(result.content) ? result.content : []).map(withoutMeta);
  if (items.length === 0) return result.structuredContent;
  if (items.length === 1) {
    const [item] = items;
    return item!.type === 'text' ? item!.text : item;
  }
  return items;
}

/** The text of an `isError` result, for the error the model catches. */
export function errorText(result: CallToolResult): string {
  const texts = (Array.isArray(result.content) ? result.content : []).flatMap((item) => (item.type === 'text' ? [item.text] : []));
  return texts.join('\n').trim();
}

function withoutMeta(item: ContentItem): ContentItem {
  if (!('_meta' in item)) return item;
  const { _meta, ...rest } = item;
  void _meta;
  return rest as ContentItem;
}
