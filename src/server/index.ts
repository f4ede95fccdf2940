export { createHttpApp, listen, type RunningServer } from './http.ts';
export { signBody, signatureHeader } from './hooks.ts';
