// Types of build-state.mjs, for the tests written in TypeScript.
export const root: string;
export function inputFingerprint(): string;
export function haveSources(): boolean;
export function buildState(): 'fresh' | 'stale' | 'no-sources';
export function forgetBuild(): void;
export function recordBuild(fingerprint: string): void;
