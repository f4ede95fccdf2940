export * from './errors.ts';
export * from './clock.ts';
export * from './config.ts';
export * from './ids.ts';
export * from './json.ts';
export * from './logger.ts';
