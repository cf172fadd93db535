-- wrk script for bench/serve_load.sh: rotates the requests over the hot endpoints of the API and
-- prints the errors and latency percentiles in a form the shell script reads.
local paths = {
  "/api/indicators",
  "/api/series?indicator=net_internal&region=75",
  "/api/flows",
  "/api/series?indicator=population_avg&region=71",
  "/api/indicators?year=2023",
  "/api/flows?year=2023",
}
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors connect=%d read=%d write=%d status=%d timeout=%d\n",
                         e.connect, e.read, e.write, e.status, e.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency_p%s_ms %.3f\n", p, latency:percentile(p) / 1000.0))
  end
  io.write(string.format("latency_max_ms %.3f\n", latency.max / 1000.0))
  io.write(string.format("requests_per_s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
