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
 * KEYS: entry hash, namespace index hash, namespace version counter. ARGV: name, ifVersion ('' = any, n).
 * The counter moves on a delete too: it is the namespace's revision, which readers compare.
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
redis.call('INCR', KEYS[3])
return {'ok', 1}
`);

/**
 * KEYS: the run's journal list, the journal index hash (run id → info JSON).
 * ARGV: run id, at, ttlMs, maxBytes, ISO now, ISO expiry, status ('' = keep), maxEntries, ms now, records...
 * An index line whose expiry passed (or whose list Redis expired) is a journal that is gone.
 * Returns {'ok', info JSON} | {'conflict', records held} | {'full', count} | {'too_large', bytes}.
 */
export const APPEND_JOURNAL = script(`
local raw = redis.call('HGET', KEYS[2], ARGV[1])
local info = raw and cjson.decode(raw) or nil
if info and (tonumber(info.expiresMs) <= tonumber(ARGV[9]) or redis.call('EXISTS', KEYS[1]) == 0) then
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  info = nil
end
local count = info and info.records or 0
if tonumber(ARGV[2]) ~= count then return {'conflict', count} end
if not info then
  local journals = redis.call('HLEN', KEYS[2])
  if journals >= tonumber(ARGV[8]) then return {'full', journals} end
end
local bytes = info and info.bytes or 0
for i = 10, #ARGV do bytes = bytes + string.len(ARGV[i]) + 1 end
if bytes > tonumber(ARGV[4]) then return {'too_large', bytes} end
for i = 10, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local status = ARGV[7]
if status == '' then status = info and info.status or '' end
local record = cjson.encode({
  runId = ARGV[1], records = count + #ARGV - 9, bytes = bytes,
  createdAt = info and info.createdAt or ARGV[5], updatedAt = ARGV[5], expiresAt = ARGV[6],
  expiresMs = tonumber(ARGV[9]) + tonumber(ARGV[3]), status = status
})
redis.call('HSET', KEYS[2], ARGV[1], record)
return {'ok', record}
`);

/**
 * KEYS: the run's journal list, the journal index hash. ARGV: run id, ms now, max bytes.
 * Returns {'none'} | {'too_large', bytes} | {'ok', info JSON, records...}, read in one step.
 */
export const READ_JOURNAL = script(`
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if not raw then return {'none'} end
local info = cjson.decode(raw)
if type(info.expiresMs) ~= 'number' or info.expiresMs <= tonumber(ARGV[2]) or redis.call('EXISTS', KEYS[1]) == 0 then return {'none'} end
if type(info.bytes) ~= 'number' or info.bytes > tonumber(ARGV[3]) then return {'too_large', tostring(info.bytes)} end
-- The list is measured here, not by its info line (which any writer of the store could set): a list past
-- the cap never reaches the host.
local records = redis.call('LRANGE', KEYS[1], 0, -1)
local bytes = 0
for _, record in ipairs(records) do
  bytes = bytes + string.len(record) + 1
  if bytes > tonumber(ARGV[3]) then return {'too_large', tostring(bytes) .. '+'} end
end
local reply = {'ok', raw}
for _, record in ipairs(records) do reply[#reply + 1] = record end
return reply
`);

/** KEYS: the run's journal list, the journal index hash. ARGV: run id, ms now. Returns {'ok', 1 | 0}: whether a live journal was there. */
export const DELETE_JOURNAL = script(`
local raw = redis.call('HGET', KEYS[2], ARGV[1])
local live = raw and redis.call('EXISTS', KEYS[1]) == 1 and (cjson.decode(raw).expiresMs or 0) > tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if live then return {'ok', 1} end
return {'ok', 0}
`);
