// Samples what a process allocates, collected or not, and writes it as a V8 heap profile when the process exits:
// `node -r ./tools/runtime/allocation-sampler.js …` with YB_ALLOCATION_PROFILE_DIR set (benchmarks' --alloc-prof).
// Node's own --heap-prof keeps only what is still alive at exit, which says nothing of the garbage a hot path
// makes; V8's sampler keeps the collected objects too when asked.
const dir = process.env.YB_ALLOCATION_PROFILE_DIR;
if (dir) {
  const { Session } = require('node:inspector');
  const { mkdirSync, writeFileSync } = require('node:fs');
  const path = require('node:path');
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // An in-process session answers synchronously, so the profile is written before the process is gone. On a
  // signal too: Nest's shutdown hooks end a service by raising the signal again, and then no 'exit' is emitted.
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (!err)
        writeFileSync(path.join(dir, `Alloc.${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  };
  process.once('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) process.prependOnceListener(signal, write);
}
