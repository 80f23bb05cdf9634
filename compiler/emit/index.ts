/** Public surface of emit: IR → entry JavaScript per Action. */
export { emitAction, actionHeader, actionSpan, specSizes, DEFAULT_MAX_RESPONSE_BYTES, type EmitOptions } from './action';
export { EVENT_FUNCTIONS } from './expr';
