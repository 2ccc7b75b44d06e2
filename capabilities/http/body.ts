// Request bodies in, response bodies out: encoding the model's body, reading a response up to the size
// cap (stopping the stream the moment it passes), and decoding it as text, JSON or base64.
// It must never buffer more than the cap, and never decompress (no bombs: bytes arrive as sent).
import type { Readable } from 'node:stream';
import { ToolError } from '../shared/public-api.js';

export type ResponseType = 'text' | 'json' | 'base64';

/** The model's request body as bytes, and the content type it implies when the model set none. */
export function requestBody(
  input: { body?: string; bodyEncoding?: 'utf8' | 'base64'; json?: unknown },
  method: string,
  maxBytes: number,
): { bytes: Buffer; contentType?: string } | undefined {
  const hasJson = 'json' in input && input.json !== undefined;
  if (input.body !== undefined && hasJson) throw new ToolError('invalid_input', 'pass either `body` or `json`, not both');
  if (input.body === undefined && !hasJson) return undefined;
  if (method === 'GET' || method === 'HEAD') throw new ToolError('invalid_input', `a ${method} request cannot have a body`);
  let bytes: Buffer;
  let contentType: string | undefined;
  if (hasJson) {
    const text = JSON.stringify(input.json);
    if (text === undefined) throw new ToolError('invalid_input', '`json` is not serializable to JSON');
    bytes = Buffer.from(text);
    contentType = 'application/json';
  } else if (input.bodyEncoding === 'base64') {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(input.body!)) {
      throw new ToolError('invalid_input', '`body` is not valid base64', { hint: 'Use standard base64 with padding, or bodyEncoding "utf8".' });
    }
    bytes = Buffer.from(input.body!, 'base64');
  } else {
    bytes = Buffer.from(input.body!, 'utf8');
    contentType = 'text/plain; charset=utf-8';
  }
  if (bytes.length > maxBytes) throw new ToolError('invalid_input', `request body is ${bytes.length} bytes; the limit is ${maxBytes}`);
  return contentType === undefined ? { bytes } : { bytes, contentType };
}

/** Reads a response body, destroying the stream as soon as it passes `maxBytes`. */
export async function readCapped(body: Readable, maxBytes: number, shown: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new ToolError('host', `${shown}: response body is larger than the limit of ${maxBytes} bytes`, {
        hint: 'Ask for less (a range, a page, a filter), or ask the host to raise maxResponseBytes.',
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Decodes body bytes for the model. Text honours a `charset` the runtime knows, else UTF-8. */
export function decodeBody(bytes: Buffer, type: ResponseType, contentType: string | undefined, shown: string): unknown {
  if (type === 'base64') return bytes.toString('base64');
  const text = decodeText(bytes, contentType);
  if (type === 'text') return text;
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ToolError('host', `${shown}: response body is not valid JSON (${bytes.length} bytes, content-type ${JSON.stringify(contentType ?? '')})`, {
      hint: "Use responseType 'text' to see it.",
    });
  }
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown charset label: fall through to UTF-8 rather than fail the whole response.
    }
  }
  return bytes.toString('utf8');
}
