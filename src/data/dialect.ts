export const Dialect = { sqlite: 'sqlite', postgres: 'postgres' } as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];
