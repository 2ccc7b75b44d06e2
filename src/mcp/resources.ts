// Artifacts as MCP resources, so a client can show what model code saved: `resources/list` lists every
// artifact at `codemode://artifacts/<name>` (each `/`-separated segment percent-encoded), `resources/read`
// returns text and JSON as text and bytes as a base64 blob, and `notifications/resources/list_changed` goes
// out when an `execute` call changed the artifacts. Read-only: saving and deleting is model code's job.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CodemodeError } from '../errors.js';
import { Artifacts, type Storage } from '../storage/index.js';

const PREFIX = 'codemode://artifacts/';
/** The MCP spec's code for a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;

export function artifactUri(name: string): string {
  return PREFIX + name.split('/').map(encodeURIComponent).join('/');
}

/** Registers the artifacts of `storage` as resources of `mcp`. */
export function registerArtifactResources(mcp: McpServer, storage: Storage): void {
  const artifacts = new Artifacts(storage);
  const template = new ResourceTemplate(`${PREFIX}{+name}`, {
    list: async () => ({
      resources: (await artifacts.list()).map((artifact) => ({
        uri: artifactUri(artifact.name),
        name: artifact.name,
        // Each resource's own title and description, or the SDK lends it the template's.
        title: artifact.name,
        description: `${artifact.kind === 'json' ? 'JSON' : artifact.kind}, saved ${artifact.updatedAt}`,
        mimeType: artifact.contentType,
        size: artifact.size,
      })),
    }),
  });
  mcp.registerResource('artifacts', template, { title: 'Artifacts', description: 'Data saved by codemode runs.' }, async (uri) => {
    const href = uri.href;
    let name: string;
    try {
      name = href.slice(PREFIX.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      throw new McpError(RESOURCE_NOT_FOUND, `not an artifact URI: ${href}`);
    }
    try {
      const artifact = await artifacts.read({ name });
      const base = { uri: href, mimeType: artifact.contentType };
      return {
        contents: [artifact.kind === 'bytes' ? { ...base, blob: Buffer.from(artifact.bytes).toString('base64') } : { ...base, text: new TextDecoder().decode(artifact.bytes) }],
      };
    } catch (error) {
      if (error instanceof CodemodeError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_NAME')) {
        throw new McpError(RESOURCE_NOT_FOUND, `no artifact at ${href}`);
      }
      throw error;
    }
  });
}

/**
 * Tells clients when the artifacts changed: after each `execute` call, the names and versions are compared
 * with those seen last (checks are chained, so concurrent runs compare in turn). Changes made by other hosts
 * are noticed at the next `execute` call here.
 */
export class ArtifactChanges {
  #last: Promise<string | undefined>;

  constructor(
    private readonly storage: Storage,
    private readonly notify: () => Promise<void>,
  ) {
    this.#last = signature(storage);
  }

  check(): Promise<void> {
    const next = this.#last.then(async (was) => {
      const now = await signature(this.storage);
      // Awaited, so the notification is on the wire before the `execute` result that caused it.
      if (now !== undefined && now !== was) await this.notify().catch(() => undefined);
      return now ?? was;
    });
    this.#last = next;
    return next.then(() => undefined);
  }
}

/** Names and versions of the artifacts; undefined when the store cannot be read right now. */
async function signature(storage: Storage): Promise<string | undefined> {
  try {
    return (await storage.list('artifacts')).map((entry) => `${entry.version}:${entry.name}`).join('\n');
  } catch {
    return undefined;
  }
}
