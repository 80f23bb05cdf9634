/** Types of bench/lib/projects.js for the TypeScript tests. */
export declare const ROOT: string;
export declare const SAMPLE_SUBSET: readonly string[];
export declare const SCALING_TRIGGERS: readonly string[];
export declare const SPECS_PER_ACTION: number;
export declare function writeSampleSubset(dir: string): string;
export declare function writeLatencyProject(dir: string, k: number): string;
export declare function latencyBase(i: number): string;
export declare function writeScalingProject(dir: string, n: number): string;
export declare function scalingSpec(i: number): { id: string; text: string };
export declare function writeTypicalProject(dir: string, n: number): string;
