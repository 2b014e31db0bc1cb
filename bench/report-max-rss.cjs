// Preloaded into a measured process (node --require): prints its peak RSS on exit, on stderr.
process.on("exit", () => {
  process.stderr.write(`\nrolechain-bench maxRSS=${process.resourceUsage().maxRSS}\n`);
});
