import type { StartupStep } from './app';
import { loadFrameworkSeedsOnStart } from './modules/framework/framework-seed';
import { ensureDemoFirm } from './modules/firm/demo-firm';

/** What `npm start` runs between migrations and listening, in order. */
export const STARTUP_STEPS: StartupStep[] = [loadFrameworkSeedsOnStart, ensureDemoFirm];
