import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Guards against a hang, not measures of speed: a whole suite also runs with a core kept busy by
    // another process, where a step that takes 10 s on an idle machine takes 30.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Test files share their worker's modules: the app, OpenPGP and the CSAF validator (whose
    // schemas take seconds to compile) load once per worker instead of once per file. Safe because
    // Vigil keeps no module-level state a test could change (no singletons; caches hold read-only
    // data), and mocks are restored after each test.
    isolate: false,
    restoreMocks: true,
    unstubEnvs: true,
    // Most suites wait on fsync, child processes and sockets, so even two cores take two workers.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
