// Artifacts: one run saves what it made, a later run (or the host, or `codemode artifacts get`) reads it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from 'codemode';
import { ArtifactsCapability } from 'codemode/capabilities';
import { Artifacts, FileStorage } from 'codemode/storage';

const dir = mkdtempSync(join(tmpdir(), 'codemode-example-')); // a real app would use e.g. '.codemode'
const storage = new FileStorage({ dir }); // or new RedisStorage({ url: 'redis://127.0.0.1:6379' })
const executor = new Executor({ capabilities: [new ArtifactsCapability({ storage })] });
try {
  await executor.run(`
    await codemode.artifacts.save({ name: 'totals.json', data: { paris: 18, oslo: 4 } });
    await codemode.artifacts.save({ name: 'report.csv', data: 'city,celsius\\nparis,18\\n', contentType: 'text/csv' });
  `);
  const later = await executor.run(`
    const totals = await codemode.artifacts.load({ name: 'totals.json' });
    return totals.paris - totals.oslo;
  `);
  console.log('difference:', later.ok ? later.value : later.error.message);
  for (const artifact of await new Artifacts(storage).list()) console.log(artifact.name, artifact.kind, artifact.contentType, artifact.size);
} finally {
  await executor.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
