-- At a set rate: wrk -s paced.lua URL -- RATE THREADS. Each thread keeps a schedule of send times
-- RATE/THREADS a second apart, and each connection, once answered, waits for the next free slot of
-- its thread's schedule. The latency wrk reports runs from sending to the response (a slow
-- response delays the next send rather than queueing it, as pgbench -R does).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

local interval, next_slot

function init(args)
    interval = 1000 * tonumber(args[2]) / tonumber(args[1])
    next_slot = now_ms()
end

function delay()
    local now = now_ms()
    next_slot = math.max(next_slot + interval, now)
    return math.floor(next_slot - now)
end

function done(summary, latency, requests)
    report(summary, latency)
end
