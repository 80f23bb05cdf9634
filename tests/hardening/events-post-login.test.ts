/**
 * The event fuzz (tests/hardening/events.test.ts) of the post-login Action: its own file so
 * CI's workers run it beside the rest.
 */
import { eventFuzz } from './support/event-fuzz';
import { reportFigures } from './support/figures';

reportFigures('events-post-login');
eventFuzz(['mapc-post-login']);
