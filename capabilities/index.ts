// codemode/capabilities: the built-in fs, env, http and artifacts capabilities. Everything exported here is public
// API; each capability grants exactly what its options say and nothing else.
export {
  FsCapability,
  DEFAULT_MAX_READ_BYTES,
  DEFAULT_MAX_WRITE_BYTES,
  DEFAULT_MAX_DIR_ENTRIES,
  DEFAULT_MAX_RUN_WRITE_BYTES,
  DEFAULT_MAX_RUN_FILES_CREATED,
  type FsCapabilityOptions,
} from './fs/capability.js';
export type { AllowedPath } from './fs/roots.js';
export type { ArtifactsMountSpec, DirMount, MemoryMountSpec, MountSpec } from './fs/mounts.js';
export type { HostFileContent, HostFileContext, HostFilesMount, HostResolveMount } from './fs/hosted.js';
export { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_FILES } from './fs/memory.js';
export { EnvCapability, type EnvCapabilityOptions } from './env/capability.js';
export {
  HttpCapability,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_REDIRECTS,
  type HttpCapabilityOptions,
} from './http/capability.js';
export type { AllowedHost } from './http/url-policy.js';
export type { SecretHeaders } from './http/headers.js';
export type { Resolver } from './http/resolve.js';
export { ArtifactsCapability, type ArtifactsCapabilityOptions } from './artifacts/capability.js';
