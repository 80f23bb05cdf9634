/** Public surface of ir: the resolved, checked model lowered to `ProgramIR` (one entry per Action). */
export * from './types';
export * from './lower';
