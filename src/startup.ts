import type { StartupStep } from './app';
import { ensureDemoFirm } from './modules/firm/demo-firm';

/** What `npm start` runs between migrations and listening, in order. */
export const STARTUP_STEPS: StartupStep[] = [ensureDemoFirm];
