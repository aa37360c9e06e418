-- Writes that each need their own caller: wrk -s pool.lua URL -- FILE THREADS [RATE].
-- FILE has one request a line, "METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY"; thread i sends lines i,
-- i + THREADS, ... once each, then stops sending (its connections wait out the run). The rate is
-- the responses over the time from the first send to the last response, so a pool used up before
-- the end of the run still gives the right rate. Statuses are counted one by one.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local pool, interval, next_slot = {}, nil, nil
sent = 0
first_ms, last_ms, answered, exhausted = nil, nil, 0, false
statuses = {}

function init(args)
    local nthreads = tonumber(args[2])
    local index = wrk.thread:get("index")
    local n = 0
    for line in io.lines(args[1]) do
        if n % nthreads == index then
            local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
            local headers = { ["Authorization"] = "Bearer " .. token }
            if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
            table.insert(pool, wrk.format(method, path, headers, body))
        end
        n = n + 1
    end
    pool_size = #pool
    if args[3] then interval = 1000 * nthreads / tonumber(args[3]) end
    next_slot = now_ms()
end

function request()
    sent = sent + 1
    if not first_ms then first_ms = now_ms() end
    -- A connection's first request comes without delay(): the pool holds more than the
    -- connections, so this only guards against a pool smaller than that.
    return pool[math.min(sent, #pool)]
end

function delay()
    if sent >= #pool then
        exhausted = true
        return 1000000000 -- nothing left to send: wait out the run
    end
    if not interval then return 0 end
    local now = now_ms()
    next_slot = math.max(next_slot + interval, now)
    return math.floor(next_slot - now)
end

function response(status, headers, body)
    answered = answered + 1
    last_ms = now_ms()
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    report(summary, latency, function()
        local first, last, total, sent_all, all, used_up = nil, nil, 0, 0, {}, true
        for _, t in ipairs(threads) do
            local f, l = t:get("first_ms"), t:get("last_ms")
            if f and (not first or f < first) then first = f end
            if l and (not last or l > last) then last = l end
            total = total + t:get("answered")
            sent_all = sent_all + math.min(t:get("sent"), t:get("pool_size"))
            used_up = used_up and t:get("exhausted")
            for status, count in pairs(t:get("statuses")) do
                all[status] = (all[status] or 0) + count
            end
        end
        local counts = {}
        for status, count in pairs(all) do table.insert(counts, string.format('"%d":%d', status, count)) end
        return {
            string.format('"answered":%d', total),
            string.format('"sent":%d', sent_all),
            string.format('"active_seconds":%.6f', ((last or 0) - (first or 0)) / 1000),
            string.format('"used_up":%s', tostring(used_up)),
            '"statuses":{' .. table.concat(counts, ",") .. "}",
        }
    end)
end
