/** Kysely table types: settings kept in the database (migration 012_settings). */

export interface SettingsTable {
  /** e.g. "business" */
  key: string;
  /** JSON */
  value: string;
  /** the actor, e.g. "user:ana@example.com" */
  updated_by: string;
  updated_at: number;
}

export interface SettingsTables {
  settings: SettingsTable;
}
