/**
 * Public surface of compiler/backfill — `mapc backfill`: a spec's metadata fields computed
 * offline over exported users (the spec cut down and bundled as at login, run by the emulator's
 * loader, its lookups calling the real systems), written back through the Management API
 * within a rate budget, with a journal for resuming. docs/backfill.md.
 */
export { backfillPlan, type BackfillPlan } from './plan';
export { Computer, failure, type Outcome, type UserChange, type ComputerOptions } from './compute';
export { SlidingWindow, parseRate, perSecond, type Rate } from './limiter';
export { ManagementApi, ManagementError, retryWaitMs, type Credentials } from './management';
export { Journal, type JournalState } from './journal';
export { openUsersFile, openDownload, readUsers, type UserLine, type ReadCounter } from './users';
export { runBackfill, applied, same, printableId, type Counts, type RunInput } from './backfill';
