-- Shared by the benchmark's wrk scripts: a monotonic clock (LuaJIT's ffi: wrk's Lua has none
-- finer than a second) and a done() that prints one JSON line for bench/http to read.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")

function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: the same clock in every thread
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

threads = {}

function setup(thread)
    thread:set("index", #threads)
    table.insert(threads, thread)
end

-- extra(): fields a script adds to the report from its threads (nil for none).
function report(summary, latency, extra)
    local fields = {
        string.format('"requests":%d', summary.requests),
        string.format('"seconds":%.6f', summary.duration / 1e6),
        string.format('"p50_ms":%.3f', latency:percentile(50) / 1000),
        string.format('"p99_ms":%.3f', latency:percentile(99) / 1000),
        string.format('"non_2xx":%d', summary.errors.status),
        string.format('"socket_errors":%d', summary.errors.connect + summary.errors.read
            + summary.errors.write + summary.errors.timeout),
    }
    if extra then
        for _, f in ipairs(extra()) do table.insert(fields, f) end
    end
    io.write("BENCH {" .. table.concat(fields, ",") .. "}\n")
end
