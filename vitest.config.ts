import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'extensions/test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Inlined so the project test can stand in for the one network call of HubSpot's parser
    // (its schema download); see extensions/test/hubspot-project.test.ts.
    server: { deps: { inline: ['@hubspot/project-parsing-lib'] } },
  },
});
