// The small catalog the declaration suites share: a top-level tool with an output schema and a capability.
import * as z from 'zod';
import { defineCapability, defineTool } from '../../src/tools/define.js';
import { catalogFromTools, type ToolCatalog } from '../../src/tools/catalog.js';

export function exampleCatalog(): ToolCatalog {
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers.',
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number() }),
    run: ({ a, b }) => ({ sum: a + b }),
  });
  const fs = defineCapability({
    name: 'fs',
    description: 'Files under ./data.',
    tools: [
      defineTool({
        name: 'readFile',
        description: 'Reads a file.',
        input: z.object({
          path: z.string().describe('Relative to ./data.'),
          encoding: z.enum(['utf8', 'base64']).default('utf8'),
        }),
        output: z.string(),
        run: () => 'text',
      }),
    ],
  });
  return catalogFromTools({ tools: [add], capabilities: [fs] });
}
