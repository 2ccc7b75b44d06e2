// The Lua scripts of RedisStorage. Redis runs a script alone and whole, so the version check, the count
// cap, the version counter and both writes (the entry and its line in the namespace index) happen as one
// step that no other client can interleave with, and no crash of ours can cut in half. Values are checked
// by the client before a script runs, so a script never fails midway after writing.
import { createHash } from 'node:crypto';

export interface Script {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): Script {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS: entry hash, namespace index hash, namespace version counter.
 * ARGV: name, data, meta JSON, ifVersion ('' = any, '0' = must not exist, n), ISO now, maxEntries.
 * Returns {'ok', info JSON} | {'conflict', current version (0: none)} | {'full', count}.
 */
export const PUT = script(`
local current = redis.call('HGET', KEYS[1], 'info')
local info = current and cjson.decode(current) or nil
local version = info and info.version or 0
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= version then
  return {'conflict', version}
end
if not info then
  local count = redis.call('HLEN', KEYS[2])
  if count >= tonumber(ARGV[6]) then return {'full', count} end
end
local next = redis.call('INCR', KEYS[3])
if next <= version then
  next = version + 1
  redis.call('SET', KEYS[3], next)
end
local record = cjson.encode({
  name = ARGV[1], version = next, size = string.len(ARGV[2]),
  createdAt = info and info.createdAt or ARGV[5], updatedAt = ARGV[5], meta = cjson.decode(ARGV[3])
})
redis.call('HSET', KEYS[1], 'info', record, 'data', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], record)
return {'ok', record}
`);

/**
 * KEYS: entry hash, namespace index hash. ARGV: name, ifVersion ('' = any, n).
 * Returns {'ok', 1 | 0 (nothing was there)} | {'conflict', current version (0: none)}.
 */
export const DELETE = script(`
local current = redis.call('HGET', KEYS[1], 'info')
local version = current and cjson.decode(current).version or 0
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= version then
  return {'conflict', version}
end
if not current then return {'ok', 0} end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return {'ok', 1}
`);
