import type { StartupStep } from './app';

/** What `npm start` runs between migrations and listening, in order. */
export const STARTUP_STEPS: StartupStep[] = [];
