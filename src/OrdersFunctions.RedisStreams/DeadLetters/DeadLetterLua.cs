namespace OrdersFunctions.RedisStreams.DeadLetters;

/// <summary>
/// Lua functions the dead-letter scripts share. Stream ids are compared as numbers held in strings (Redis ids have no
/// leading zeros, so a shorter number is smaller), never as Lua numbers, which lose precision past 2^53.
/// </summary>
internal static class DeadLetterLua
{
    /// <summary>
    /// <c>idcmp(x, y)</c>: -1, 0 or 1. <c>countfield(fields)</c>: the <see cref="DeadLetterKeys.CountField"/> of a dead
    /// letter's flat field list, or nil. <c>counted(statekey, id)</c>: whether the counts include that dead letter (see
    /// <see cref="DeadLetterCounts"/>). <c>uncount(countskey, statekey, id, fields)</c>: takes a removed dead letter
    /// off the counts when they include it.
    /// </summary>
    public const string Functions = """
        local function idparts(id)
          local d = string.find(id, '-', 1, true)
          if not d then return id, '0' end
          return string.sub(id, 1, d - 1), string.sub(id, d + 1)
        end
        local function numcmp(a, b)
          if #a ~= #b then return #a < #b and -1 or 1 end
          if a == b then return 0 end
          return a < b and -1 or 1
        end
        local function idcmp(x, y)
          local xm, xs = idparts(x)
          local ym, ys = idparts(y)
          local c = numcmp(xm, ym)
          if c ~= 0 then return c end
          return numcmp(xs, ys)
        end
        local function countfield(fields)
          local stream, group
          for i = 1, #fields, 2 do
            if fields[i] == 'stream' then stream = fields[i + 1]
            elseif fields[i] == 'group' then group = fields[i + 1] end
          end
          if not group then return nil end
          stream = stream or ''
          return #stream .. ':' .. stream .. ':' .. group
        end
        local function counted(statekey, id)
          local s = redis.call('HMGET', statekey, 'done', 'cursor', 'boundary')
          if s[1] == '1' or not s[2] then return true end
          return idcmp(id, s[2]) <= 0 or idcmp(id, s[3]) > 0
        end
        local function uncount(countskey, statekey, id, fields)
          local field = countfield(fields)
          if field and counted(statekey, id) then
            if redis.call('HINCRBY', countskey, field, -1) <= 0 then redis.call('HDEL', countskey, field) end
          end
        end

        """;
}
