/**
 * Event fuzz (issue #8): every Action of the sample organisation (so every sample spec) runs
 * against EVENT_RUNS random events — fields missing, null, of the wrong type, huge, deeply
 * nested, arrays where objects belong, prototype keys — while its systems answer with random
 * well-formed and broken responses: in process on a virtual clock (support/host.ts, the
 * memory transport), and SOCKET_EVENT_RUNS more over real HTTP on 127.0.0.1. After every run the
 * oracle (support/oracle.ts) must find nothing: no throw, no unexpected exception, only
 * declared and caused denies, registry-conforming writes, short JSON log lines.
 */
import { eventFuzz } from './support/event-fuzz';
import { reportFigures } from './support/figures';

// The registration Actions here; the post-login Action (most of the time) in
// events-post-login.test.ts, so the two CI workers share the fuzz.
reportFigures('events');
eventFuzz(['mapc-pre-user-registration', 'mapc-post-user-registration']);
