-- As fast as wrk goes: wrk's own request loop, only the report added.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

function done(summary, latency, requests)
    report(summary, latency)
end
