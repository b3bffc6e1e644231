// Vitest global setup for the browser project: start the servers once for every test file.
import type { TestProject } from 'vitest/node';
import { startServers } from '../../tooling/driver/servers';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    crossUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const servers = await startServers();
  project.provide('appUrl', servers.appUrl);
  project.provide('crossUrl', servers.crossUrl);
  return () => servers.close();
}
