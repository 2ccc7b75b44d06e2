// codemode/storage: where workflows, artifacts and (later) run journals live. Everything exported here is
// public API. A subpath of its own so the main entry never loads it; RedisStorage loads its Redis client
// only when it first connects.
export {
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_ENTRY_BYTES,
  MAX_NAME_LENGTH,
  NAMESPACES,
  type AppendOptions,
  type DeleteOptions,
  type JournalData,
  type JournalInfo,
  type Entry,
  type EntryInfo,
  type Namespace,
  type PutOptions,
  type Storage,
  type StorageLimits,
} from './storage.js';
export { DEFAULT_LOCK_TIMEOUT_MS, FileStorage, type FileStorageOptions } from './file-storage.js';
export { DEFAULT_REDIS_PREFIX, DEFAULT_REDIS_TIMEOUT_MS, RedisStorage, type RedisStorageOptions } from './redis-storage.js';
export {
  Artifacts,
  DEFAULT_CONTENT_TYPES,
  type Artifact,
  type ArtifactData,
  type ArtifactInfo,
  type ArtifactKind,
  type JsonValue,
  type SaveArtifact,
} from './artifacts.js';
export { RESERVED_WORKFLOW_NAMES, Workflows, type SaveWorkflow, type WorkflowRecord } from './workflows.js';
