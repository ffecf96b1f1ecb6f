-- wrk: each request a random path from the file the load script wrote; answers counted per status over all threads.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    paths = {}
    for line in io.lines(args[1]) do
        table.insert(paths, line)
    end
    statuses = {}
    math.randomseed(os.time() + #threads * 7919 + tonumber(tostring(paths):match("0x(%x+)") or "0", 16))
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            total[status] = (total[status] or 0) + count
        end
    end
    for status, count in pairs(total) do
        io.write(string.format("STATUS %d %d\n", status, count))
    end
    local errors = summary.errors
    io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d\n", errors.connect, errors.read, errors.write, errors.timeout))
    io.write(string.format("LATENCY p50=%.1fms p99=%.1fms max=%.1fms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
