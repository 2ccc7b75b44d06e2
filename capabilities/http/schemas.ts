// The zod shapes of http.fetch: what the model sends and gets back. Declarations shown to the model are
// generated from these, so descriptions are terse and exact. No logic here.
import { z } from 'zod';

export const fetchInput = z.strictObject({
  url: z.string().describe('Absolute http(s) URL on an allowed host.'),
  method: z.string().optional().describe('GET (default), HEAD, POST, PUT, PATCH, DELETE or OPTIONS.'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional().describe('Request body; text unless bodyEncoding is "base64".'),
  bodyEncoding: z.enum(['utf8', 'base64']).optional(),
  json: z.unknown().optional().describe('Sent as a JSON body with content-type application/json; instead of body.'),
  responseType: z.enum(['text', 'json', 'base64']).optional().describe("How to return the body: 'text' (default), parsed 'json', or 'base64' bytes."),
  timeoutMs: z.number().int().positive().optional().describe('Whole-request limit, capped by the host.'),
  followRedirects: z.boolean().optional().describe('Default true; false returns the 3xx response itself.'),
});

export const fetchOutput = z.strictObject({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()).describe('Lowercase names; repeated headers joined with ", ".'),
  body: z.unknown().describe("A string ('text', 'base64'), or the parsed value ('json'; null when empty)."),
  url: z.string().describe('Final URL, after redirects.'),
});
